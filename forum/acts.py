"""The acts of the forum, announced once each: what follows from an act subscribes here.

Services announce an act after doing it, inside its transaction; receivers (notifications,
mail and the search index) write its consequences in that same transaction, so a
consequence is never lost nor written without its act. Receivers flush, never commit.
"""

from blinker import Namespace

_acts = Namespace()

# sender: the Post; by: its author.
post_written = _acts.signal("post-written")
# sender: the Post, its words, question or language changed; by: its author.
post_edited = _acts.signal("post-edited")
# sender: the Topic; by: who opened it.
topic_opened = _acts.signal("topic-opened")
# sender: the Topic, its title, framing or questions changed; by: who edited it.
topic_edited = _acts.signal("topic-edited")
# sender: the Post; by: the moderator; reason: the public reason.
post_hidden = _acts.signal("post-hidden")
post_restored = _acts.signal("post-restored")
# sender: the Topic; by: who locked or unlocked it; reason: the public reason.
topic_locked = _acts.signal("topic-locked")
topic_unlocked = _acts.signal("topic-unlocked")
# sender: the Summary, pinned; by: its writer; newly_cited: ids of posts it cites anew.
summary_published = _acts.signal("summary-published")
# sender: the Summary, taken down; by: who unpinned it.
summary_unpinned = _acts.signal("summary-unpinned")
# sender: the Conclusion, written or rewritten; by: its writer; newly_cited: ids of posts it
# cites anew.
conclusion_written = _acts.signal("conclusion-written")
# sender: the User whose account was deleted; post_ids: the posts whose words changed with it
# (their own, removed, and others' quoting them).
posts_rewritten = _acts.signal("posts-rewritten")
# sender: the Post; by: the moderator; upheld: hidden or dismissed; handled_at: when.
reports_handled = _acts.signal("reports-handled")
# sender: the LogEntry of an act on someone's post, topic or account, or of the decision on
# their appeal; person_id: whom it concerns; act: the LogEntry of the act (appealed against).
person_noticed = _acts.signal("person-noticed")
