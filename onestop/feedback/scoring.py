"""Monthly stars of the steward team (管家星级评定), always recomputed from the data, never typed in.

Three sources, each 0-100, for the steward and the month:
- return visits (回访): the mean of the scores of the visits made in the month about the steward;
- service ratings (好差评): the mean over the ratings given in the month of services on the steward's
  projects (非常满意 100, 满意 80, 基本满意 60, 不满意 20, 非常不满意 0), plus one item for each of those
  ratings' follow-ups: the enterprise's rating of the answer once it has rated it, 0 when the follow-up
  is still unanswered after its deadline (an unanswered bad-rating follow-up counts 0); a follow-up still
  within its limit, or answered but not yet rated, adds nothing yet;
- public opinion (社会评价): the mean of the approved public comments posted in the month (好评 100,
  中评 60, 差评 0).
The score is the weighted mean (settings `STEWARD_STAR_WEIGHTS`, default visits 40 / ratings 40 / public 20)
of the sources that have data, re-weighted over those; stars from `STEWARD_STAR_THRESHOLDS` (default
90 five, 80 four, 70 three, 60 two, else one). Arithmetic is exact (fractions); the score shown is rounded
half up to two decimals, the stars compare the exact value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import BytesIO

from django.conf import settings
from django.utils import timezone

from onestop.feedback.models import (
    SCORES, SENTIMENT_SCORES, FollowUp, Moderation, PublicComment, Rating, ReturnVisit,
)
from onestop.org.models import Account, Role
from onestop.worktime.clock import SHANGHAI

DEFAULT_WEIGHTS = {"visits": 40, "ratings": 40, "public": 20}
DEFAULT_THRESHOLDS = ((90, 5), (80, 4), (70, 3), (60, 2))
SOURCES = ("visits", "ratings", "public")


def weights() -> dict[str, int]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "STEWARD_STAR_WEIGHTS", {})}


def thresholds() -> tuple[tuple[int, int], ...]:
    return tuple(sorted(getattr(settings, "STEWARD_STAR_THRESHOLDS", DEFAULT_THRESHOLDS), reverse=True))


def stars_for(score: Fraction | None) -> int | None:
    if score is None:
        return None
    for floor, stars in thresholds():
        if score >= floor:
            return stars
    return 1


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, month, 1), time(0), tzinfo=SHANGHAI)
    end = datetime.combine(date(year + month // 12, month % 12 + 1, 1), time(0), tzinfo=SHANGHAI)
    return start, end


def _mean(items: list[int]) -> Fraction | None:
    return Fraction(sum(items), len(items)) if items else None


def rounded(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class StewardMonth:
    steward: Account
    items: dict[str, list[int]] = field(default_factory=lambda: {s: [] for s in SOURCES})

    def source(self, name: str) -> Fraction | None:
        return _mean(self.items[name])

    @property
    def exact(self) -> Fraction | None:
        w = weights()
        present = [(w[s], self.source(s)) for s in SOURCES if self.items[s] and w.get(s, 0) > 0]
        total = sum(wt for wt, _ in present)
        return sum((wt * v for wt, v in present), Fraction(0)) / total if total else None

    @property
    def score(self) -> Decimal | None:
        return rounded(self.exact)

    @property
    def stars(self) -> int | None:
        return stars_for(self.exact)

    def shown(self, name: str) -> Decimal | None:
        return rounded(self.source(name))

    @property
    def sources(self) -> dict[str, Decimal | None]:
        """Each source's mean, rounded for display (templates)."""
        return {name: self.shown(name) for name in SOURCES}


def _follow_up_item(follow: FollowUp | None, as_of: datetime) -> int | None:
    if follow is None:
        return None
    if follow.level and follow.rated_at and follow.rated_at <= as_of:
        return SCORES[follow.level]
    answered = follow.answered_at is not None and follow.answered_at <= as_of
    if not answered and follow.due_at is not None and as_of >= follow.due_at:
        return 0
    return None


def month(year: int, month_: int, *, as_of: datetime | None = None) -> list[StewardMonth]:
    """Every active steward's month, ranked: best score first, stewards without data last."""
    start, end = month_bounds(year, month_)
    as_of = as_of or timezone.now()
    team = {a.pk: StewardMonth(a) for a in Account.objects.filter(role=Role.STEWARD, is_active=True)}

    def row(pk: int | None) -> StewardMonth | None:
        if pk is None:
            return None
        if pk not in team:
            account = Account.objects.filter(pk=pk).first()
            if account is None:
                return None
            team[pk] = StewardMonth(account)
        return team[pk]

    day_from, day_to = start.date(), end.date()
    for steward_id, score in ReturnVisit.objects.filter(visited_on__gte=day_from, visited_on__lt=day_to) \
            .values_list("steward_id", "score"):
        if (r := row(steward_id)) is not None:
            r.items["visits"].append(score)
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end, service__steward__isnull=False) \
        .select_related("service", "follow_up")
    for rating in ratings:
        r = row(rating.service.steward_id)
        if r is None:
            continue
        r.items["ratings"].append(rating.score)
        extra = _follow_up_item(getattr(rating, "follow_up", None), as_of)
        if extra is not None:
            r.items["ratings"].append(extra)
    for steward_id, sentiment in PublicComment.objects.filter(
            created_at__gte=start, created_at__lt=end, state=Moderation.APPROVED).values_list("steward_id", "sentiment"):
        if (r := row(steward_id)) is not None:
            r.items["public"].append(SENTIMENT_SCORES[sentiment])
    rows = list(team.values())
    rows.sort(key=lambda r: (r.exact is None, -(r.exact or 0), r.steward.display_name or r.steward.username))
    return rows


def xlsx(year: int, month_: int, rows: list[StewardMonth]) -> bytes:
    """The ranking as an Excel workbook for the performance appraisal (绩效考核)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}-{month_:02d}"
    w = weights()
    ws.append([f"项目管家月度星级评定 {year}年{month_}月", "", "", "", "",
               f"权重 回访{w['visits']} / 好差评{w['ratings']} / 社会评价{w['public']}"])
    ws.append(["名次 Rank", "管家 Steward", "回访 Visits", "好差评 Ratings", "社会评价 Public", "得分 Score",
               "星级 Stars", "回访次数", "评价条数", "社会评价条数"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for n, r in enumerate(rows, 1):
        as_float = [float(x) if x is not None else None for x in (r.shown("visits"), r.shown("ratings"),
                                                                   r.shown("public"), r.score)]
        ws.append([n if r.exact is not None else None, str(r.steward), *as_float, r.stars,
                   len(r.items["visits"]), len(r.items["ratings"]), len(r.items["public"])])
    for col, width in zip("ABCDEFGHIJ", (8, 16, 12, 12, 12, 10, 8, 10, 10, 12)):
        ws.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
