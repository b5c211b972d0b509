dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
request = post_book_request
