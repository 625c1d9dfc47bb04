"""pyHanko's API is asynchronous underneath; its synchronous calls (and ours around its coroutines) use
`asyncio.run`, which refuses to run in a thread that already has a running event loop: when called from async
code (an ASGI view, a task runner on asyncio, or a test driving a browser with Playwright's sync API, which
leaves its loop set as running in the main thread). `call` works in both cases."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Coroutine, TypeVar

T = TypeVar("T")


def call(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)`: here, or in a short-lived thread if this thread's event loop is running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seals-aio") as pool:
        return pool.submit(fn, *args, **kwargs).result()


def run(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coro)`, wherever it is called from."""
    return call(asyncio.run, coro)
