"""The privacy notice of the public sign-up (version 2026-11, as on /signup/privacy/) in German and its
translations, each unreviewed: the admin flags them until a professional translator checked them."""

from django.db import migrations

VERSION = "2026-11"
PRIVACY = {
    "de": """Datenschutzhinweis für Ehrenamtliche (Version 2026-11)
Verantwortlich: Der Freiwilligenzentrum Hannover e.V. führt das Programm „10.000 Freunde“ und ist für Ihre Daten verantwortlich.
Was wir speichern und warum: Ihren Namen, Ihre Kontaktdaten, Ihr Geburtsdatum, Ihren Stadtteil, Ihre Sprachen, wobei Sie helfen möchten und was Sie uns erzählen. Wir nutzen die Daten nur, um Sie kennenzulernen, Sie zu schulen und eine geflüchtete Person oder Familie zu finden, die zu Ihnen passt (ein Tandem).
Wer Ihre Daten sieht: Das Projektteam des Freiwilligenzentrums und, wenn Sie für einen Kooperationspartner tätig sind, dessen Koordinator*innen. Sonst niemand. Berichte für die Stadt und die Steuerungsgruppe enthalten nur Zahlen, nie Namen.
Führungszeugnis: Vor einem Tandem lassen wir uns ein erweitertes Führungszeugnis zeigen. Wir notieren nur das Datum und wie lange es gilt, nie den Inhalt, und wir behalten keine Kopie.
Wie lange wir Ihre Daten speichern: Bestätigen Sie Ihre E-Mail-Adresse nicht innerhalb von 30 Tagen, wird Ihre Anmeldung gelöscht. Sonst speichern wir Ihre Daten, solange Sie mitmachen, und entfernen Ihre persönlichen Angaben, wenn Sie aufhören; anonyme Zahlen bleiben für die Statistik.
Ihre Rechte: Sie können fragen, was wir speichern, es berichtigen oder löschen lassen und Ihre Einwilligung jederzeit widerrufen. Schreiben Sie dazu an das Freiwilligenzentrum Hannover.""",
    "ar": """إشعار حماية البيانات للمتطوعين والمتطوعات (الإصدار 2026-11)
المسؤول: جمعية Freiwilligenzentrum Hannover e.V. تدير برنامج «10.000 Freunde» وهي المسؤولة عن بياناتكم.
ماذا نحفظ ولماذا: اسمكم وبيانات التواصل وتاريخ الميلاد والحي واللغات وما تريدون المساعدة فيه وما تخبروننا به. نستخدم هذه البيانات فقط للتعرف عليكم وتدريبكم وإيجاد شخص لاجئ أو عائلة تناسبكم (تاندم).
من يرى بياناتكم: فريق المشروع في Freiwilligenzentrum، وإذا كنتم تعملون مع أحد شركائنا فمنسقو ومنسقات هذا الشريك. لا أحد غيرهم. التقارير للمدينة ولمجموعة التوجيه فيها أرقام فقط، ولا أسماء أبداً.
شهادة حسن السيرة والسلوك: قبل التاندم نطلب رؤية شهادة حسن سيرة موسعة. نسجل فقط التاريخ ومدة صلاحيتها، ولا نسجل محتواها أبداً، ولا نحتفظ بنسخة منها.
مدة حفظ البيانات: إذا لم تؤكدوا عنوان بريدكم الإلكتروني خلال 30 يوماً، يُحذف تسجيلكم. وإلا نحفظ بياناتكم ما دمتم مشاركين، ونحذف بياناتكم الشخصية عندما تتوقفون؛ تبقى أرقام مجهولة الهوية للإحصاء فقط.
حقوقكم: يمكنكم أن تسألوا ماذا نحفظ، وأن تطلبوا تصحيحه أو حذفه، وأن تسحبوا موافقتكم في أي وقت. اكتبوا إلى Freiwilligenzentrum Hannover.""",
    "fa": """اطلاعیه‌ی حفاظت از داده‌ها برای داوطلبان (نسخه‌ی 2026-11)
مسئول: انجمن Freiwilligenzentrum Hannover e.V. برنامه‌ی «10.000 Freunde» را اجرا می‌کند و مسئول داده‌های شماست.
چه چیزی ذخیره می‌کنیم و چرا: نام، اطلاعات تماس، تاریخ تولد، محله، زبان‌ها، کارهایی که می‌خواهید در آن کمک کنید و آنچه به ما می‌گویید. این داده‌ها را فقط برای آشنایی با شما، آموزش شما و پیدا کردن یک پناهجو یا خانواده‌ی مناسب شما (یک تاندم) به کار می‌بریم.
چه کسی داده‌های شما را می‌بیند: تیم پروژه در Freiwilligenzentrum و اگر برای یکی از شرکای ما فعالیت کنید، هماهنگ‌کنندگان آن شریک. هیچ کس دیگر. گزارش‌ها برای شهر و گروه راهبری فقط عدد دارند، هرگز نام.
گواهی عدم سوءپیشینه: پیش از یک تاندم می‌خواهیم گواهی عدم سوءپیشینه‌ی گسترده را ببینیم. فقط تاریخ و مدت اعتبار آن را یادداشت می‌کنیم، هرگز محتوای آن را، و هیچ رونوشتی نگه نمی‌داریم.
مدت نگهداری داده‌ها: اگر نشانی ایمیل خود را در ۳۰ روز تأیید نکنید، ثبت‌نام شما پاک می‌شود. در غیر این صورت داده‌های شما را تا زمانی که همکاری می‌کنید نگه می‌داریم و وقتی کنار بروید اطلاعات شخصی شما را پاک می‌کنیم؛ فقط آمار بی‌نام می‌ماند.
حقوق شما: می‌توانید بپرسید چه چیزی ذخیره می‌کنیم، آن را اصلاح یا پاک کنید و رضایت خود را هر زمان پس بگیرید. برای این کار به Freiwilligenzentrum Hannover بنویسید.""",
    "uk": """Повідомлення про захист даних для волонтерів (версія 2026-11)
Відповідальна сторона: Freiwilligenzentrum Hannover e.V. проводить програму «10.000 Freunde» і відповідає за ваші дані.
Що ми зберігаємо і навіщо: ваше ім’я, контактні дані, дату народження, район, мови, у чому ви хочете допомагати, і те, що ви нам розповідаєте. Ми використовуємо ці дані лише для того, щоб познайомитися з вами, навчити вас і знайти біженця або родину, яка вам підходить (тандем).
Хто бачить ваші дані: команда проєкту Freiwilligenzentrum, а якщо ви працюєте для одного з наших партнерів, — координатори цього партнера. Більше ніхто. Звіти для міста та керівної групи містять лише цифри, ніколи імена.
Довідка про несудимість: перед тандемом ми просимо показати розширену довідку про несудимість. Ми записуємо лише дату і термін дії, ніколи її зміст, і не зберігаємо копію.
Як довго ми зберігаємо дані: якщо ви не підтвердите електронну адресу протягом 30 днів, вашу реєстрацію буде видалено. Інакше ми зберігаємо дані, поки ви берете участь, і видаляємо ваші особисті дані, коли ви припиняєте; для статистики залишаються лише анонімні цифри.
Ваші права: ви можете запитати, що ми зберігаємо, виправити або видалити це і будь-коли відкликати вашу згоду. Напишіть для цього до Freiwilligenzentrum Hannover.""",
    "tr": """Gönüllüler için veri koruma bilgilendirmesi (sürüm 2026-11)
Sorumlu: «10.000 Freunde» programını Freiwilligenzentrum Hannover e.V. yürütür ve verilerinizden sorumludur.
Neyi ve neden saklıyoruz: Adınız, iletişim bilgileriniz, doğum tarihiniz, semtiniz, dilleriniz, neye yardım etmek istediğiniz ve bize anlattıklarınız. Bu verileri yalnızca sizi tanımak, sizi eğitmek ve size uygun bir mülteci ya da aile (bir tandem) bulmak için kullanırız.
Verilerinizi kim görür: Freiwilligenzentrum proje ekibi ve bir iş birliği ortağımız için çalışıyorsanız o ortağın koordinatörleri. Başka kimse görmez. Şehir ve yönlendirme grubu için raporlarda yalnızca sayılar vardır, asla isim yoktur.
Sabıka kaydı: Bir tandemden önce genişletilmiş sabıka kaydı belgesini görmek isteriz. Yalnızca tarihini ve ne kadar geçerli olduğunu not ederiz, içeriğini asla, ve kopyasını saklamayız.
Verilerinizi ne kadar saklıyoruz: E-posta adresinizi 30 gün içinde onaylamazsanız kaydınız silinir. Aksi hâlde katıldığınız sürece verilerinizi saklarız ve ayrıldığınızda kişisel bilgilerinizi sileriz; istatistik için yalnızca anonim sayılar kalır.
Haklarınız: Neyi sakladığımızı sorabilir, düzeltilmesini ya da silinmesini isteyebilir ve onayınızı her zaman geri alabilirsiniz. Bunun için Freiwilligenzentrum Hannover'e yazın.""",
    "ru": """Уведомление о защите данных для волонтёров (версия 2026-11)
Ответственная сторона: Freiwilligenzentrum Hannover e.V. проводит программу «10.000 Freunde» и отвечает за ваши данные.
Что мы храним и зачем: ваше имя, контактные данные, дату рождения, район, языки, в чём вы хотите помогать, и то, что вы нам рассказываете. Мы используем эти данные только для того, чтобы познакомиться с вами, обучить вас и найти беженца или семью, которые вам подходят (тандем).
Кто видит ваши данные: команда проекта Freiwilligenzentrum, а если вы работаете для одного из наших партнёров, — координаторы этого партнёра. Больше никто. Отчёты для города и руководящей группы содержат только цифры, никогда имена.
Справка о несудимости: перед тандемом мы просим показать расширенную справку о несудимости. Мы записываем только дату и срок действия, никогда её содержание, и не храним копию.
Как долго мы храним данные: если вы не подтвердите адрес электронной почты в течение 30 дней, ваша регистрация будет удалена. Иначе мы храним ваши данные, пока вы участвуете, и удаляем ваши личные данные, когда вы прекращаете; для статистики остаются только анонимные цифры.
Ваши права: вы можете спросить, что мы храним, исправить или удалить это и в любое время отозвать своё согласие. Напишите для этого в Freiwilligenzentrum Hannover.""",
    "de-ls": """Datenschutz für Ehrenamtliche (Version 2026-11)
Wer ist verantwortlich? Das Freiwilligen·zentrum Hannover. Es macht das Programm 10.000 Freunde. Es passt auf Ihre Daten auf.
Was speichern wir? Ihren Namen. Wie wir Sie erreichen. Ihren Geburtstag. Ihren Stadtteil. Ihre Sprachen. Wobei Sie helfen möchten. Was Sie uns erzählen.
Warum? Wir möchten Sie kennenlernen. Wir möchten Sie schulen. Wir suchen einen Menschen oder eine Familie für Sie. Das nennen wir Tandem.
Wer sieht Ihre Daten? Das Team vom Freiwilligen·zentrum. Manchmal auch ein Partner von uns. Sonst niemand. In Berichten stehen nur Zahlen. Keine Namen.
Führungs·zeugnis: Vor einem Tandem zeigen Sie uns ein Führungs·zeugnis. Wir schreiben nur das Datum auf. Wir machen keine Kopie.
Wie lange speichern wir? Sie bestätigen Ihre E-Mail nicht? Dann löschen wir alles nach 30 Tagen. Sonst speichern wir Ihre Daten, solange Sie mitmachen. Danach löschen wir Ihre Daten. Nur Zahlen ohne Namen bleiben.
Ihre Rechte: Sie können fragen: Was ist gespeichert? Sie können Fehler ändern lassen. Sie können alles löschen lassen. Sie können Ihr Ja jederzeit zurücknehmen. Schreiben Sie dafür an das Freiwilligen·zentrum Hannover.""",
}


def seed(apps, schema_editor):
    LegalText = apps.get_model("core", "LegalText")
    # German first: it is the source, the translations name it
    for language, body in PRIVACY.items():
        LegalText.objects.update_or_create(
            kind="privacy",
            language=language,
            version=VERSION if language == "de" else f"{VERSION}-{language}",
            defaults={"body": body, "source_version": "" if language == "de" else VERSION},
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "LegalText").objects.filter(kind="privacy", version__startswith=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0016_legal_texts")]
    operations = [migrations.RunPython(seed, unseed)]
