"""The consent read to or given to the household at the referral (version 2026-01, the paper form's version
CONSENT_FORM_VERSION) in German and its translations, each unreviewed: the admin flags them until a
professional translator checked them."""

from django.db import migrations

VERSION = "2026-01"
REFERRAL_CONSENT = {
    "de": """Einwilligung zur Teilnahme an „10.000 Freunde“ (Version 2026-01)
Das Programm: Der Freiwilligenzentrum Hannover e.V. führt das Programm „10.000 Freunde“. Wir suchen für Sie oder Ihre Familie eine ehrenamtliche Patin oder einen ehrenamtlichen Paten. Das nennen wir Tandem.
Was wir speichern: Ihren Namen, wie wir Sie erreichen, Ihre Sprachen, Ihren Stadtteil, wer zu Ihrem Haushalt gehört und wobei Sie Hilfe möchten.
Warum: Nur um eine passende Patin oder einen passenden Paten für Sie zu finden und Ihr Tandem zu begleiten.
Wer Ihre Daten sieht: Das Projektteam des Freiwilligenzentrums, der Kooperationspartner, der Ihr Tandem begleitet, und die Stelle, die Sie angemeldet hat. Ihre Patin oder Ihr Pate erfährt nur, was für das Tandem nötig ist. Berichte für die Stadt enthalten nur Zahlen, nie Namen.
Freiwillig: Die Teilnahme ist freiwillig. Wenn Sie nicht einwilligen, haben Sie keine Nachteile, auch nicht bei Behörden.
Wie lange: Wir speichern Ihre Daten, solange Sie teilnehmen. Danach entfernen wir Ihre persönlichen Angaben. Nur Zahlen ohne Namen bleiben für die Statistik.
Ihre Rechte: Sie können fragen, was wir speichern. Sie können es berichtigen oder löschen lassen. Sie können Ihre Einwilligung jederzeit widerrufen. Sagen Sie es Ihrer Ansprechperson oder schreiben Sie an das Freiwilligenzentrum Hannover.
Ich bin einverstanden, dass meine Daten dafür gespeichert und genutzt werden.""",
    "ar": """الموافقة على المشاركة في برنامج «10.000 Freunde» (الإصدار 2026-01)
البرنامج: جمعية Freiwilligenzentrum Hannover e.V. تدير برنامج «10.000 Freunde». نبحث لكم أو لعائلتكم عن متطوعة أو متطوع يرافقكم. نسمي ذلك تاندم.
ماذا نحفظ: اسمكم، وكيف نتواصل معكم، ولغاتكم، والحي الذي تسكنون فيه، ومن يعيش معكم في البيت، وفي أي أمور تريدون المساعدة.
لماذا: فقط لنجد لكم متطوعة أو متطوعاً مناسباً ولنرافق التاندم.
من يرى بياناتكم: فريق المشروع في Freiwilligenzentrum، والشريك الذي يرافق التاندم، والجهة التي سجلتكم. المتطوعة أو المتطوع يعرف فقط ما يلزم للتاندم. التقارير للمدينة فيها أرقام فقط، ولا أسماء أبداً.
المشاركة اختيارية: إذا لم توافقوا فلن يضركم ذلك بشيء، ولا عند الدوائر الرسمية.
مدة الحفظ: نحفظ بياناتكم ما دمتم مشاركين. بعد ذلك نحذف بياناتكم الشخصية. تبقى أرقام بدون أسماء للإحصاء فقط.
حقوقكم: يمكنكم أن تسألوا ماذا نحفظ. يمكنكم أن تطلبوا تصحيحه أو حذفه. يمكنكم سحب موافقتكم في أي وقت. أخبروا الشخص المسؤول عنكم أو اكتبوا إلى Freiwilligenzentrum Hannover.
أوافق على حفظ بياناتي واستخدامها لهذا الغرض.""",
    "fa": """رضایت‌نامه برای شرکت در برنامه‌ی «10.000 Freunde» (نسخه‌ی 2026-01)
برنامه: انجمن Freiwilligenzentrum Hannover e.V. برنامه‌ی «10.000 Freunde» را اجرا می‌کند. ما برای شما یا خانواده‌ی شما یک داوطلب همراه پیدا می‌کنیم. این را تاندم می‌نامیم.
چه چیزی ذخیره می‌کنیم: نام شما، راه تماس با شما، زبان‌های شما، محله‌ی شما، کسانی که با شما زندگی می‌کنند و کارهایی که در آن کمک می‌خواهید.
چرا: فقط برای اینکه یک داوطلب مناسب برای شما پیدا کنیم و تاندم شما را همراهی کنیم.
چه کسی داده‌های شما را می‌بیند: تیم پروژه در Freiwilligenzentrum، شریکی که تاندم شما را همراهی می‌کند، و اداره‌ای که شما را معرفی کرده است. داوطلب شما فقط چیزهایی را می‌داند که برای تاندم لازم است. گزارش‌ها برای شهر فقط عدد دارند، هرگز نام.
داوطلبانه: شرکت داوطلبانه است. اگر رضایت ندهید، هیچ ضرری برای شما ندارد، در اداره‌ها هم نه.
مدت نگهداری: داده‌های شما را تا زمانی که شرکت می‌کنید نگه می‌داریم. بعد اطلاعات شخصی شما را پاک می‌کنیم. فقط آمار بی‌نام می‌ماند.
حقوق شما: می‌توانید بپرسید چه چیزی ذخیره می‌کنیم. می‌توانید بخواهید آن را اصلاح یا پاک کنیم. می‌توانید رضایت خود را هر زمان پس بگیرید. به فرد مسئول خود بگویید یا به Freiwilligenzentrum Hannover بنویسید.
موافقم که داده‌های من برای این کار ذخیره و استفاده شود.""",
    "uk": """Згода на участь у програмі «10.000 Freunde» (версія 2026-01)
Програма: Freiwilligenzentrum Hannover e.V. проводить програму «10.000 Freunde». Ми шукаємо для вас або вашої родини волонтерку чи волонтера, які будуть вас супроводжувати. Це ми називаємо тандемом.
Що ми зберігаємо: ваше ім’я, як з вами зв’язатися, ваші мови, ваш район, хто живе з вами в одному домогосподарстві і в чому вам потрібна допомога.
Навіщо: лише для того, щоб знайти для вас відповідну волонтерку чи волонтера і супроводжувати ваш тандем.
Хто бачить ваші дані: команда проєкту Freiwilligenzentrum, партнер, який супроводжує ваш тандем, і установа, яка вас зареєструвала. Ваша волонтерка чи волонтер знає лише те, що потрібно для тандему. Звіти для міста містять лише цифри, ніколи імена.
Добровільно: участь добровільна. Якщо ви не погоджуєтеся, це не матиме для вас жодних негативних наслідків, зокрема в установах.
Як довго: ми зберігаємо ваші дані, поки ви берете участь. Потім ми видаляємо ваші особисті дані. Для статистики залишаються лише цифри без імен.
Ваші права: ви можете запитати, що ми зберігаємо. Ви можете попросити це виправити або видалити. Ви можете будь-коли відкликати свою згоду. Скажіть про це вашій контактній особі або напишіть до Freiwilligenzentrum Hannover.
Я погоджуюся, щоб мої дані зберігали й використовували для цього.""",
    "tr": """«10.000 Freunde» programına katılım onayı (sürüm 2026-01)
Program: «10.000 Freunde» programını Freiwilligenzentrum Hannover e.V. yürütür. Size ya da ailenize eşlik edecek bir gönüllü arıyoruz. Buna tandem diyoruz.
Neyi saklıyoruz: Adınızı, size nasıl ulaşacağımızı, dillerinizi, semtinizi, evinizde kimlerin yaşadığını ve neye yardım istediğinizi.
Neden: Yalnızca size uygun bir gönüllü bulmak ve tandeminize eşlik etmek için.
Verilerinizi kim görür: Freiwilligenzentrum proje ekibi, tandeminize eşlik eden iş birliği ortağı ve sizi kaydeden kurum. Gönüllünüz yalnızca tandem için gerekli olanı öğrenir. Şehir için raporlarda yalnızca sayılar vardır, asla isim yoktur.
Gönüllülük: Katılım gönüllüdür. Onay vermezseniz hiçbir zararınız olmaz, resmî kurumlarda da olmaz.
Ne kadar süre: Katıldığınız sürece verilerinizi saklarız. Sonra kişisel bilgilerinizi sileriz. İstatistik için yalnızca isimsiz sayılar kalır.
Haklarınız: Neyi sakladığımızı sorabilirsiniz. Düzeltilmesini ya da silinmesini isteyebilirsiniz. Onayınızı her zaman geri alabilirsiniz. Bunu size yardım eden kişiye söyleyin ya da Freiwilligenzentrum Hannover'e yazın.
Verilerimin bunun için saklanmasını ve kullanılmasını kabul ediyorum.""",
    "ru": """Согласие на участие в программе «10.000 Freunde» (версия 2026-01)
Программа: Freiwilligenzentrum Hannover e.V. проводит программу «10.000 Freunde». Мы ищем для вас или вашей семьи волонтёрку или волонтёра, которые будут вас сопровождать. Это мы называем тандемом.
Что мы храним: ваше имя, как с вами связаться, ваши языки, ваш район, кто живёт с вами в одном домохозяйстве и в чём вам нужна помощь.
Зачем: только чтобы найти для вас подходящую волонтёрку или волонтёра и сопровождать ваш тандем.
Кто видит ваши данные: команда проекта Freiwilligenzentrum, партнёр, который сопровождает ваш тандем, и учреждение, которое вас зарегистрировало. Ваша волонтёрка или волонтёр знает только то, что нужно для тандема. Отчёты для города содержат только цифры, никогда имена.
Добровольно: участие добровольное. Если вы не соглашаетесь, это не будет иметь для вас никаких негативных последствий, в том числе в учреждениях.
Как долго: мы храним ваши данные, пока вы участвуете. Потом мы удаляем ваши личные данные. Для статистики остаются только цифры без имён.
Ваши права: вы можете спросить, что мы храним. Вы можете попросить это исправить или удалить. Вы можете в любое время отозвать своё согласие. Скажите об этом вашему контактному лицу или напишите в Freiwilligenzentrum Hannover.
Я согласен (согласна), чтобы мои данные хранились и использовались для этого.""",
    "de-ls": """Ihr Ja für 10.000 Freunde (Version 2026-01)
Was ist 10.000 Freunde? Das Freiwilligen·zentrum Hannover macht das Programm 10.000 Freunde. Wir suchen einen Menschen für Sie oder Ihre Familie. Dieser Mensch hilft Ihnen. Er bekommt kein Geld dafür. Das nennen wir Tandem.
Was speichern wir? Ihren Namen. Wie wir Sie erreichen. Ihre Sprachen. Ihren Stadtteil. Wer bei Ihnen wohnt. Wobei Sie Hilfe möchten.
Warum? Wir suchen einen passenden Menschen für Sie. Wir begleiten Ihr Tandem.
Wer sieht Ihre Daten? Das Team vom Freiwilligen·zentrum. Der Partner, der Ihr Tandem begleitet. Die Stelle, die Sie angemeldet hat. Ihr Tandem·partner erfährt nur das Nötige. In Berichten für die Stadt stehen nur Zahlen. Keine Namen.
Sie müssen nicht Ja sagen. Sagen Sie Nein? Dann haben Sie keine Nachteile. Auch nicht bei Ämtern.
Wie lange speichern wir? Solange Sie mitmachen. Danach löschen wir Ihre Daten. Nur Zahlen ohne Namen bleiben.
Ihre Rechte: Sie können fragen: Was ist gespeichert? Sie können Fehler ändern lassen. Sie können alles löschen lassen. Sie können Ihr Ja jederzeit zurücknehmen. Sagen Sie es Ihrer Ansprech·person. Oder schreiben Sie an das Freiwilligen·zentrum Hannover.
Ich sage Ja: Sie dürfen meine Daten dafür speichern und benutzen.""",
}


def seed(apps, schema_editor):
    LegalText = apps.get_model("core", "LegalText")
    # German first: it is the source, the translations name it
    for language, body in REFERRAL_CONSENT.items():
        LegalText.objects.update_or_create(
            kind="referral_consent",
            language=language,
            version=VERSION if language == "de" else f"{VERSION}-{language}",
            defaults={"body": body, "source_version": "" if language == "de" else VERSION},
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "LegalText").objects.filter(
        kind="referral_consent", version__startswith=VERSION
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0019_survey_link_purpose")]
    operations = [migrations.RunPython(seed, unseed)]
