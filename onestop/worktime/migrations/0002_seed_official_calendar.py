"""Seed the official calendar from chinesecalendar (every year it covers, with the corrections in
`worktime.seed`), so every fresh database has it."""
from django.db import migrations


def seed(apps, schema_editor):
    from onestop.worktime.seed import covered_years, official_rows

    CalendarYear = apps.get_model("worktime", "CalendarYear")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    CalendarVersion = apps.get_model("worktime", "CalendarVersion")
    years = {
        y: CalendarYear(year=y, published=True, source="chinesecalendar", notice="chinesecalendar 1.11.0")
        for y in covered_years()
    }
    CalendarYear.objects.bulk_create(years.values())
    years = {y.year: y for y in CalendarYear.objects.all()}
    CalendarDay.objects.bulk_create(
        [CalendarDay(year=years[d.year], date=d, kind=kind, name=name) for d, kind, name in official_rows()],
        batch_size=500,
    )
    CalendarVersion.objects.update_or_create(pk=1, defaults={"number": 1, "token": "seed-chinesecalendar-1.11.0"})


def unseed(apps, schema_editor):
    apps.get_model("worktime", "CalendarDay").objects.all().delete()
    apps.get_model("worktime", "CalendarYear").objects.all().delete()
    apps.get_model("worktime", "CalendarVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
