"""The rules of the code of conduct a moderation act applies, named on the act and its notice.

A short fixed list, one key per rule of the code of conduct's "Not accepted here" and "Safety
and privacy" sections: the log stores the key, so an entry keeps its meaning when the admins
reword the code of conduct, and each reader sees the rule's name in their own language.
"""

from flask_babel import lazy_gettext as _l

RULES = {
    "harassment": _l("Harassment or abuse"),
    "hateful": _l("Hateful content"),
    "threats": _l("Threats"),
    "personal_information": _l("Sharing personal information without consent"),
    "safety": _l("Putting someone's safety at risk"),
    "spam": _l("Spam, advertising or repeated messages"),
    "off_topic": _l("Off-topic posts that disrupt a discussion"),
    "respect": _l("Disrespect of other participants"),
}


def check_rule(rule: str | None) -> str:
    """Return the rule's key if it is one of the code of conduct's rules, else refuse it."""
    from forum.moderation.services import ModerationError

    rule = (rule or "").strip()
    if rule not in RULES:
        raise ModerationError(_l("Choose the rule of the code of conduct that was broken."))
    return rule


def rule_name(rule: str) -> str:
    """The rule's name in the current language ("" for an act that names none)."""
    return str(RULES[rule]) if rule in RULES else ""
