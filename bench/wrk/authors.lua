dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
request = authors_request
