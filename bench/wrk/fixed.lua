-- The same request every time: the path of the URL given to wrk (bare app, first page).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
