"""The default statements of the relationship survey (issue #20), written for this programme: closeness,
satisfaction and support, in German, plain German (Leichte Sprache), English and the participant languages.
Admins edit them in the admin; answers keep pointing to the statement they answered."""

from django.db import migrations

BOTH, VOLUNTEER, HOUSEHOLD = "both", "volunteer", "household"

ITEMS = [
    (
        10,
        BOTH,
        {
            "de": "Ich fühle mich mit meiner/meinem Tandempartner*in wohl.",
            "de-ls": "Ich fühle mich wohl mit meinem Tandem-Partner oder meiner Tandem-Partnerin.",
            "en": "I feel comfortable with my tandem partner.",
            "ar": "أشعر بالارتياح مع شريكي أو شريكتي في التاندم.",
            "fa": "با همراهم در تاندم احساس راحتی می‌کنم.",
            "uk": "Мені комфортно з моїм партнером / моєю партнеркою по тандему.",
            "tr": "Tandem partnerimle kendimi rahat hissediyorum.",
            "ru": "Мне комфортно с моим партнёром / моей партнёршей по тандему.",
        },
    ),
    (
        20,
        BOTH,
        {
            "de": "Wir verstehen uns gut.",
            "de-ls": "Wir verstehen uns gut.",
            "en": "We get on well.",
            "ar": "نحن نتفاهم جيدًا.",
            "fa": "ما همدیگر را خوب درک می‌کنیم.",
            "uk": "Ми добре розуміємо одне одного.",
            "tr": "Birbirimizle iyi anlaşıyoruz.",
            "ru": "Мы хорошо понимаем друг друга.",
        },
    ),
    (
        30,
        BOTH,
        {
            "de": "Ich bin mit unserem Tandem zufrieden.",
            "de-ls": "Ich bin zufrieden mit unserem Tandem.",
            "en": "I am satisfied with our tandem.",
            "ar": "أنا راضٍ عن التاندم الخاص بنا.",
            "fa": "از تاندم‌مان راضی هستم.",
            "uk": "Я задоволений / задоволена нашим тандемом.",
            "tr": "Tandemimizden memnunum.",
            "ru": "Я доволен / довольна нашим тандемом.",
        },
    ),
    (
        40,
        HOUSEHOLD,
        {
            "de": "Das Tandem hilft mir im Alltag.",
            "de-ls": "Das Tandem hilft mir im Alltag.",
            "en": "The tandem helps me in everyday life.",
            "ar": "يساعدني التاندم في حياتي اليومية.",
            "fa": "تاندم در زندگی روزمره به من کمک می‌کند.",
            "uk": "Тандем допомагає мені в повсякденному житті.",
            "tr": "Tandem bana günlük hayatta yardımcı oluyor.",
            "ru": "Тандем помогает мне в повседневной жизни.",
        },
    ),
    (
        50,
        HOUSEHOLD,
        {
            "de": "Ich bekomme Unterstützung, wenn ich sie brauche.",
            "de-ls": "Ich bekomme Hilfe, wenn ich Hilfe brauche.",
            "en": "I get support when I need it.",
            "ar": "أحصل على الدعم عندما أحتاج إليه.",
            "fa": "وقتی به کمک نیاز دارم، کمک می‌گیرم.",
            "uk": "Я отримую підтримку, коли вона мені потрібна.",
            "tr": "İhtiyacım olduğunda destek alıyorum.",
            "ru": "Я получаю поддержку, когда она мне нужна.",
        },
    ),
    (
        60,
        VOLUNTEER,
        {
            "de": "Ich fühle mich vom Team des Freiwilligenzentrums gut begleitet.",
            "de-ls": "Das Team vom Freiwilligen-Zentrum hilft mir gut.",
            "en": "I feel well supported by the team of the Freiwilligenzentrum.",
            "ar": "أشعر بأن فريق مركز المتطوعين يرافقني بشكل جيد.",
            "fa": "احساس می‌کنم تیم مرکز داوطلبان به‌خوبی همراهی‌ام می‌کند.",
            "uk": "Я відчуваю добру підтримку від команди Freiwilligenzentrum.",
            "tr": "Freiwilligenzentrum ekibinin bana iyi eşlik ettiğini hissediyorum.",
            "ru": "Я чувствую хорошую поддержку со стороны команды Freiwilligenzentrum.",
        },
    ),
]


def seed(apps, schema_editor):
    SurveyItem = apps.get_model("tandems", "SurveyItem")
    for order, respondent, texts in ITEMS:
        if not SurveyItem.objects.filter(texts__de=texts["de"]).exists():
            SurveyItem.objects.create(order=order, respondent=respondent, texts=texts)


def unseed(apps, schema_editor):
    SurveyItem = apps.get_model("tandems", "SurveyItem")
    german = [texts["de"] for _order, _respondent, texts in ITEMS]
    SurveyItem.objects.filter(texts__de__in=german, answers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("tandems", "0015_survey")]
    operations = [migrations.RunPython(seed, unseed)]
