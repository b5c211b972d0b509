-- 70% cold detail, 20% cold search, 5% POST /books, 5% POST /books/{id}/reviews.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

request = function()
  local roll = math.random(1, 100)
  if roll <= 70 then
    return detail_request()
  elseif roll <= 90 then
    return search_request()
  elseif roll <= 95 then
    return post_book_request()
  end
  return post_review_request()
end
