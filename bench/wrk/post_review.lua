dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
request = post_review_request
