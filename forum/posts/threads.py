"""Threads in reading order, and pages made of whole threads.

Each post's path is its thread's ids from the top down, each padded to WIDTH digits, so ordering
by path gives the tree in reading order and a thread is one range of paths. A topic keeps the path
at which each page begins (Topic.page_starts), recomputed when a post is added, so that reading
any page, the first or the two-hundredth, is one range scan on the (topic_id, path) index.
"""

from bisect import bisect_right

from sqlalchemy import func, select

from forum.extensions import db

WIDTH = 10
MAX_DEPTH = 60
PAGE_SIZE = 50


def segment(post_id: int) -> str:
    """The path segment of one post."""
    return f"{post_id:0{WIDTH}d}"


def place(post_id: int, parent) -> tuple[str, int]:
    """The path and depth of a new post under parent (or at the top of the topic)."""
    if parent is None:
        return segment(post_id), 0
    if parent.depth >= MAX_DEPTH:
        # Deep enough: the reply becomes the parent's sibling but still names whom it answers.
        return parent.path[:-WIDTH] + segment(post_id), parent.depth
    return parent.path + segment(post_id), parent.depth + 1


def thread_end(root_path: str) -> str:
    """The first path past a thread: every post in it sorts before this."""
    return segment(int(root_path[:WIDTH]) + 1)


def page_of(starts: list[str], path: str) -> int:
    """The page number (from 1) on which the post with this path is shown."""
    return max(bisect_right(starts, path), 1)


def page_range(starts: list[str], page: int) -> tuple[str, str | None]:
    """The paths [first, end) of a page, which must exist."""
    first = starts[page - 1]
    end = starts[page] if page < len(starts) else None
    return first, end


def compute_page_starts(topic_id: int, starts: list[str], changed_root: str) -> list[str]:
    """Recompute where pages begin, from the page holding the thread that changed onwards.

    Whole threads fill a page while they fit in PAGE_SIZE posts; a thread longer than a page
    starts a page of its own and is split every PAGE_SIZE posts.
    """
    from forum.posts.models import Post

    k = max(bisect_right(starts, changed_root) - 1, 0)
    while k > 0 and len(starts[k]) != WIDTH:  # a page that begins inside a split thread
        k -= 1
    pages = starts[:k]
    roots = select(Post.path, Post.thread_size).where(Post.topic_id == topic_id, Post.depth == 0)
    if starts:
        roots = roots.where(Post.path >= starts[k])
    filled = 0
    for path, size in db.session.execute(roots.order_by(Post.path)):
        if filled and filled + size <= PAGE_SIZE:
            filled += size
            continue
        pages.append(path)
        filled = size
        if size > PAGE_SIZE:
            pages.extend(_split_points(topic_id, path))
            filled = size - PAGE_SIZE * ((size - 1) // PAGE_SIZE)
    return pages


def _split_points(topic_id: int, root_path: str) -> list[str]:
    """The paths at which a thread longer than a page continues on a new page."""
    from forum.posts.models import Post

    ranked = (
        select(Post.path, func.row_number().over(order_by=Post.path).label("rank"))
        .where(Post.topic_id == topic_id, Post.path >= root_path, Post.path < thread_end(root_path))
        .subquery()
    )
    return list(
        db.session.scalars(
            select(ranked.c.path)
            .where(ranked.c.rank > 1, (ranked.c.rank - 1) % PAGE_SIZE == 0)
            .order_by(ranked.c.path)
        )
    )
