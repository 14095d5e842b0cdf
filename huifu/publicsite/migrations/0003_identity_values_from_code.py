"""Until this migration the exchange's names, its subsidiary, the Market Service Center mailbox
and the notice-number prefix were written in code (letters, the Member Voice form, calendar
invitations, the product list). The running installation keeps showing the same values, now as
data: the identity row is created with the former defaults when missing, and the new fields of
a row naming that exchange are filled with what the code used to say. Staff change them on the
identity page; another exchange loads its profile (``manage.py load_exchange_profile``)."""

from django.db import migrations

FORMER = {
    "name_zh": "上海期货交易所",
    "name_en": "Shanghai Futures Exchange",
    "platform_zh": "会员服务与投资者教育平台",
    "platform_en": "Member Services and Investor Education",
}
FROM_CODE = {
    "short_name_zh": "上期所",
    "short_name_en": "SHFE",
    "subsidiary_name_zh": "上海国际能源交易中心",
    "subsidiary_name_en": "Shanghai International Energy Exchange",
    "subsidiary_short_zh": "上期能源",
    "subsidiary_short_en": "INE",
    "service_mailbox": "msc@shfe.com.cn",
    "doc_prefix": "上期发",
}


def forwards(apps, schema_editor):
    SiteIdentity = apps.get_model("publicsite", "SiteIdentity")
    row = SiteIdentity.objects.first()
    if row is None:
        row = SiteIdentity(singleton=True, **FORMER)
    elif row.name_zh != FORMER["name_zh"]:
        return  # another exchange's row: nothing of this one belongs in it
    for field, value in FROM_CODE.items():
        if not getattr(row, field):
            setattr(row, field, value)
    row.save()


class Migration(migrations.Migration):
    dependencies = [("publicsite", "0002_exchange_identity_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
