"""The texts of problem details in Uzbek (Latin script) and Russian, keyed by their English.

Read by problem_texts.py. Each entry is ``English: (uz, ru)``. An English template is the
message as the code writes it, each interpolation of its f-string a placeholder:

- ``{name}``: a value kept as it is (an id, a number, a field name, a code);
- ``{name:noun}``: one of ``NOUNS`` (what a NotFound names), translated;
- ``{name:text}``: an English text of its own (a reason, an exception's message), translated
  in turn when this catalog knows it.

A translation uses the same names, in any order; ``{name:one|few|many}`` writes the Russian
word for the number ``name`` in its plural form. Uzbek writes oʻ and gʻ with ʻ (U+02BB) and the
tutuq belgisi with ʼ (U+02BC), and uses the dashboard's terms (i18n.js): ish beruvchi,
bitiruvchi, dastur, tashkilot, taʼlim muassasasi, klaster, hudud, nashr.

tests/unit/test_problem_texts.py finds every problem text the code can raise and fails for one
without an entry here.
"""

# The title of a problem whose title is its status's reason phrase (http.HTTPStatus).
STATUS_TITLES: dict[int, tuple[str, str]] = {
    400: ("Notoʻgʻri soʻrov", "Некорректный запрос"),
    401: ("Avtorizatsiya talab qilinadi", "Требуется авторизация"),
    402: ("Toʻlov talab qilinadi", "Требуется оплата"),
    403: ("Ruxsat yoʻq", "Доступ запрещён"),
    404: ("Topilmadi", "Не найдено"),
    405: ("Usulga ruxsat yoʻq", "Метод не разрешён"),
    406: ("Qabul qilib boʻlmaydi", "Неприемлемо"),
    407: ("Proksi avtorizatsiyasi talab qilinadi", "Требуется авторизация на прокси"),
    408: ("Soʻrov vaqti tugadi", "Истекло время ожидания запроса"),
    409: ("Ziddiyat", "Конфликт"),
    410: ("Oʻchirilgan", "Удалено"),
    411: ("Uzunlik koʻrsatilmagan", "Требуется длина содержимого"),
    412: ("Shart bajarilmadi", "Условие не выполнено"),
    413: ("Soʻrov hajmi juda katta", "Слишком большой запрос"),
    414: ("URI juda uzun", "Слишком длинный URI"),
    415: ("Maʼlumot turi qoʻllab-quvvatlanmaydi", "Неподдерживаемый тип данных"),
    416: ("Diapazon notoʻgʻri", "Диапазон недостижим"),
    417: ("Kutilgan shart bajarilmadi", "Ожидание не выполнено"),
    418: ("Men choynakman", "Я — чайник"),
    421: ("Soʻrov notoʻgʻri manzilga yuborildi", "Запрос направлен не туда"),
    422: ("Soʻrovni bajarib boʻlmaydi", "Необрабатываемый запрос"),
    423: ("Bloklangan", "Заблокировано"),
    424: ("Bogʻliq soʻrov bajarilmadi", "Невыполненная зависимость"),
    425: ("Juda erta", "Слишком рано"),
    426: ("Protokolni yangilash kerak", "Требуется обновление протокола"),
    428: ("Shart talab qilinadi", "Требуется условие"),
    429: ("Soʻrovlar juda koʻp", "Слишком много запросов"),
    431: ("Sarlavhalar juda katta", "Слишком большие заголовки запроса"),
    451: ("Huquqiy sabablarga koʻra mavjud emas", "Недоступно по юридическим причинам"),
    500: ("Ichki server xatosi", "Внутренняя ошибка сервера"),
    501: ("Amalga oshirilmagan", "Не реализовано"),
    502: ("Shlyuz xatosi", "Ошибка шлюза"),
    503: ("Xizmat mavjud emas", "Сервис недоступен"),
    504: ("Shlyuz javob kutish vaqti tugadi", "Шлюз не дождался ответа"),
    505: ("HTTP versiyasi qoʻllab-quvvatlanmaydi", "Версия HTTP не поддерживается"),
    506: ("Variant ham kelishuvda", "Вариант тоже согласовывается"),
    507: ("Xotira yetarli emas", "Недостаточно места"),
    508: ("Sikl aniqlandi", "Обнаружен цикл"),
    510: ("Kengaytma kerak", "Требуется расширение"),
    511: ("Tarmoq avtorizatsiyasi talab qilinadi", "Требуется сетевая авторизация"),
}

# What a NotFound names (``{what:noun}``), and the facts the assessment service projects.
NOUNS: dict[str, tuple[str, str]] = {
    "activity": ("faoliyat", "мероприятие"),
    "assessment": ("baholash", "оценка"),
    "cluster": ("klaster", "кластер"),
    "employer": ("ish beruvchi", "работодатель"),
    "employment": ("ishga joylashish", "трудоустройство"),
    "framework": ("kompetensiyalar tizimi", "рамка компетенций"),
    "goal": ("maqsad", "цель"),
    "graduate": ("bitiruvchi", "выпускник"),
    "organization": ("tashkilot", "организация"),
    "program": ("dastur", "программа"),
    "publication": ("nashr", "публикация"),
    "query": ("soʻrov", "запрос"),
    "region": ("hudud", "регион"),
    "requirement": ("talab", "требование"),
    "subscription": ("obuna", "подписка"),
}

# Request validation: pydantic's error type → its message, filled from the error's ctx.
# ("value_error" and "assertion_error" are a validator's own message, translated by MESSAGES.)
VALIDATION: dict[str, tuple[str, str]] = {
    "*": ("Notoʻgʻri qiymat", "Недопустимое значение"),
    "missing": ("Toʻldirilishi shart", "Обязательное поле"),
    "extra_forbidden": ("Bunday maydon yoʻq", "Такого поля нет"),
    # The parser's own English reason is left out; the error's loc gives the position.
    "json_invalid": ("JSON notoʻgʻri", "Некорректный JSON"),
    "model_type": ("Obyekt boʻlishi kerak", "Должен быть объект"),
    "dict_type": ("Obyekt boʻlishi kerak", "Должен быть объект"),
    "list_type": ("Roʻyxat boʻlishi kerak", "Должен быть список"),
    "tuple_type": ("Roʻyxat boʻlishi kerak", "Должен быть список"),
    "set_type": (
        "Takrorlanmaydigan qiymatlar roʻyxati boʻlishi kerak",
        "Должен быть список без повторов",
    ),
    "frozen_set_type": (
        "Takrorlanmaydigan qiymatlar roʻyxati boʻlishi kerak",
        "Должен быть список без повторов",
    ),
    "string_type": ("Matn boʻlishi kerak", "Должна быть строка"),
    "string_not_ascii": ("Faqat ASCII belgilari boʻlishi kerak", "Допустимы только символы ASCII"),
    "string_too_short": (
        "Kamida {min_length} ta belgi boʻlishi kerak",
        "Минимальная длина — {min_length} {min_length:символ|символа|символов}",
    ),
    "string_too_long": (
        "Koʻpi bilan {max_length} ta belgi boʻlishi kerak",
        "Максимальная длина — {max_length} {max_length:символ|символа|символов}",
    ),
    "string_pattern_mismatch": (
        "Qiymat '{pattern}' shabloniga mos kelmaydi",
        "Значение не соответствует шаблону '{pattern}'",
    ),
    "too_short": (
        "Kamida {min_length} ta element boʻlishi kerak",
        "Нужно не меньше {min_length} {min_length:элемента|элементов|элементов}",
    ),
    "too_long": (
        "Koʻpi bilan {max_length} ta element boʻlishi mumkin",
        "Допустимо не больше {max_length} {max_length:элемента|элементов|элементов}",
    ),
    "bytes_too_short": (
        "Kamida {min_length} bayt boʻlishi kerak",
        "Нужно не меньше {min_length} {min_length:байта|байт|байт}",
    ),
    "bytes_too_long": (
        "Koʻpi bilan {max_length} bayt boʻlishi mumkin",
        "Допустимо не больше {max_length} {max_length:байта|байт|байт}",
    ),
    "greater_than": ("Qiymat {gt} dan katta boʻlishi kerak", "Значение должно быть больше {gt}"),
    "greater_than_equal": (
        "Qiymat {ge} dan kichik boʻlmasligi kerak",
        "Значение должно быть не меньше {ge}",
    ),
    "less_than": ("Qiymat {lt} dan kichik boʻlishi kerak", "Значение должно быть меньше {lt}"),
    "less_than_equal": (
        "Qiymat {le} dan katta boʻlmasligi kerak",
        "Значение должно быть не больше {le}",
    ),
    "multiple_of": (
        "Qiymat {multiple_of} ga karrali boʻlishi kerak",
        "Значение должно быть кратно {multiple_of}",
    ),
    "finite_number": ("Chekli son boʻlishi kerak", "Должно быть конечным числом"),
    "bool_type": ("true yoki false boʻlishi kerak", "Должно быть true или false"),
    "bool_parsing": ("true yoki false boʻlishi kerak", "Должно быть true или false"),
    "int_type": ("Butun son boʻlishi kerak", "Должно быть целым числом"),
    "int_parsing": ("Butun son boʻlishi kerak", "Должно быть целым числом"),
    "int_from_float": (
        "Butun son boʻlishi kerak, kasr qismsiz",
        "Должно быть целым числом, без дробной части",
    ),
    "float_type": ("Son boʻlishi kerak", "Должно быть числом"),
    "float_parsing": ("Son boʻlishi kerak", "Должно быть числом"),
    "decimal_type": ("Son boʻlishi kerak", "Должно быть числом"),
    "decimal_parsing": ("Son boʻlishi kerak", "Должно быть числом"),
    "decimal_max_digits": (
        "Koʻpi bilan {max_digits} ta raqam boʻlishi mumkin",
        "Допустимо не больше {max_digits} {max_digits:цифры|цифр|цифр}",
    ),
    "decimal_max_places": (
        "Kasr qismida koʻpi bilan {decimal_places} ta raqam boʻlishi mumkin",
        "После запятой допустимо не больше {decimal_places} {decimal_places:знака|знаков|знаков}",
    ),
    "decimal_whole_digits": (
        "Butun qismida koʻpi bilan {whole_digits} ta raqam boʻlishi mumkin",
        "До запятой допустимо не больше {whole_digits} {whole_digits:цифры|цифр|цифр}",
    ),
    "enum": (
        "Quyidagilardan biri boʻlishi kerak: {expected}",
        "Допустимые значения: {expected}",
    ),
    "literal_error": (
        "Quyidagilardan biri boʻlishi kerak: {expected}",
        "Допустимые значения: {expected}",
    ),
    "date_type": ("Sana boʻlishi kerak (YYYY-MM-DD)", "Должна быть дата (ГГГГ-ММ-ДД)"),
    "date_parsing": (
        "Sana YYYY-MM-DD koʻrinishida boʻlishi kerak",
        "Дата должна быть в виде ГГГГ-ММ-ДД",
    ),
    "date_from_datetime_parsing": (
        "Sana YYYY-MM-DD koʻrinishida boʻlishi kerak",
        "Дата должна быть в виде ГГГГ-ММ-ДД",
    ),
    "date_from_datetime_inexact": (
        "Vaqtsiz sana boʻlishi kerak (YYYY-MM-DD)",
        "Должна быть дата без времени (ГГГГ-ММ-ДД)",
    ),
    "date_past": ("Sana oʻtgan kunlardan boʻlishi kerak", "Дата должна быть в прошлом"),
    "date_future": ("Sana kelgusi kunlardan boʻlishi kerak", "Дата должна быть в будущем"),
    "time_type": ("Vaqt boʻlishi kerak (HH:MM:SS)", "Должно быть время (ЧЧ:ММ:СС)"),
    "time_parsing": (
        "Vaqt HH:MM:SS koʻrinishida boʻlishi kerak",
        "Время должно быть в виде ЧЧ:ММ:СС",
    ),
    "datetime_type": (
        "Sana va vaqt boʻlishi kerak (RFC 3339)",
        "Должны быть дата и время (RFC 3339)",
    ),
    "datetime_parsing": (
        "Sana va vaqt RFC 3339 koʻrinishida boʻlishi kerak",
        "Дата и время должны быть в формате RFC 3339",
    ),
    "datetime_from_date_parsing": (
        "Sana yoki sana va vaqt boʻlishi kerak (RFC 3339)",
        "Должны быть дата или дата и время (RFC 3339)",
    ),
    "datetime_past": ("Vaqt oʻtmishda boʻlishi kerak", "Время должно быть в прошлом"),
    "datetime_future": ("Vaqt kelajakda boʻlishi kerak", "Время должно быть в будущем"),
    "timezone_naive": ("Vaqt mintaqasisiz boʻlishi kerak", "Должно быть без часового пояса"),
    "timezone_aware": (
        "Vaqt mintaqasi (UTC siljishi) koʻrsatilishi kerak",
        "Нужно указать часовой пояс (смещение от UTC)",
    ),
    "timezone_offset": (
        "UTC siljishi {tz_expected} boʻlishi kerak, {tz_actual} berilgan",
        "Смещение от UTC должно быть {tz_expected}, а не {tz_actual}",
    ),
    "union_tag_invalid": (
        "{discriminator} qiymati {tag} notoʻgʻri; mumkin boʻlganlari: {expected_tags}",
        "Значение {discriminator} {tag} недопустимо; допустимые: {expected_tags}",
    ),
    "union_tag_not_found": (
        "{discriminator} maydoni koʻrsatilishi kerak",
        "Нужно указать поле {discriminator}",
    ),
    "url_type": ("URL manzil boʻlishi kerak", "Должен быть URL"),
    "url_parsing": ("URL manzil notoʻgʻri", "Некорректный URL"),
    "url_syntax_violation": ("URL manzil notoʻgʻri", "Некорректный URL"),
    "url_too_long": (
        "URL koʻpi bilan {max_length} ta belgi boʻlishi mumkin",
        "URL не длиннее {max_length} {max_length:символа|символов|символов}",
    ),
    "url_scheme": (
        "URL sxemasi {expected_schemes} boʻlishi kerak",
        "Схема URL должна быть {expected_schemes}",
    ),
    "uuid_type": ("UUID boʻlishi kerak", "Должен быть UUID"),
    "uuid_parsing": ("UUID notoʻgʻri", "Некорректный UUID"),
    "uuid_version": (
        "UUID {expected_version}-versiyada boʻlishi kerak",
        "Нужен UUID версии {expected_version}",
    ),
}

# Every other problem text: titles, details and errors[].msg, as the code writes them.
MESSAGES: dict[str, tuple[str, str]] = {
    # -- titles that are not a status's reason phrase --------------------------------------------
    "Invalid request": ("Notoʻgʻri soʻrov", "Некорректный запрос"),
    "Not found": ("Topilmadi", "Не найдено"),
    "Not ready": ("Tayyor emas", "Не готов"),
    "Content Too Large": ("Soʻrov hajmi juda katta", "Слишком большой запрос"),
    "Unprocessable Content": ("Soʻrovni bajarib boʻlmaydi", "Необрабатываемый запрос"),
    "Invalid cursor": ("Kursor notoʻgʻri", "Некорректный курсор"),
    "Idempotency-Key reused": (
        "Idempotency-Key takror ishlatilgan",
        "Idempotency-Key использован повторно",
    ),
    "Sign-in refused": ("Kirish rad etildi", "Вход отклонён"),
    "Identity provider unavailable": (
        "Identifikatsiya provayderi ishlamayapti",
        "Провайдер идентификации недоступен",
    ),
    "Invalid CSV file": ("CSV fayl notoʻgʻri", "Некорректный CSV-файл"),
    "Invalid register extract": (
        "Reyestr koʻchirmasi notoʻgʻri",
        "Некорректная выписка из реестра",
    ),
    # -- the platform (shared/) --------------------------------------------------------------------
    "Check these fields: {fields}": (
        "Quyidagi maydonlarni tekshiring: {fields}",
        "Проверьте поля: {fields}",
    ),
    "There was an error parsing the body": (
        "Soʻrov tanasini oʻqib boʻlmadi",
        "Не удалось разобрать тело запроса",
    ),
    "The change conflicts with another one made at the same time; read the current state and "
    "retry.": (
        "Oʻzgartirish shu vaqtda kiritilgan boshqa oʻzgartirish bilan toʻqnash keldi; joriy "
        "holatni oʻqing va qayta urinib koʻring.",
        "Изменение конфликтует с другим, сделанным в то же время; прочитайте текущее состояние "
        "и повторите.",
    ),
    "The database is not accepting connections; nothing was saved. Retry shortly (with the same "
    "Idempotency-Key, if the request has one).": (
        "Maʼlumotlar bazasi ulanishlarni qabul qilmayapti; hech narsa saqlanmadi. Birozdan soʻng "
        "qayta urinib koʻring (soʻrovda Idempotency-Key boʻlsa, xuddi shu kalit bilan).",
        "База данных не принимает подключения; ничего не сохранено. Повторите чуть позже (с тем "
        "же Idempotency-Key, если он есть у запроса).",
    ),
    "This service is being upgraded: its database is not yet migrated to the schema its code "
    "needs. Nothing was done; retry shortly (with the same Idempotency-Key, if the request has "
    "one).": (
        "Bu xizmat yangilanmoqda: uning maʼlumotlar bazasi hali kodi talab qiladigan sxemaga "
        "koʻchirilmagan. Hech narsa bajarilmadi; birozdan soʻng qayta urinib koʻring (soʻrovda "
        "Idempotency-Key boʻlsa, xuddi shu kalit bilan).",
        "Сервис обновляется: его база данных ещё не переведена на схему, которая нужна его коду. "
        "Ничего не выполнено; повторите чуть позже (с тем же Idempotency-Key, если он есть у "
        "запроса).",
    ),
    "The database is busy with other changes; nothing was saved. Retry shortly (with the same "
    "Idempotency-Key, if the request has one).": (
        "Maʼlumotlar bazasi boshqa oʻzgartirishlar bilan band; hech narsa saqlanmadi. Birozdan "
        "soʻng qayta urinib koʻring (soʻrovda Idempotency-Key boʻlsa, xuddi shu kalit bilan).",
        "База данных занята другими изменениями; ничего не сохранено. Повторите чуть позже (с "
        "тем же Idempotency-Key, если он есть у запроса).",
    ),
    "The request ran out of time before its changes could be saved; nothing was saved. Retry it "
    "(with the same Idempotency-Key, if it has one).": (
        "Soʻrovga ajratilgan vaqt oʻzgartirishlar saqlanguncha tugadi; hech narsa saqlanmadi. "
        "Qayta yuboring (Idempotency-Key boʻlsa, xuddi shu kalit bilan).",
        "Время запроса истекло раньше, чем изменения удалось сохранить; ничего не сохранено. "
        "Повторите его (с тем же Idempotency-Key, если он есть).",
    ),
    "The error was logged with this request's id.": (
        "Xato shu soʻrov identifikatori bilan jurnalga yozildi.",
        "Ошибка записана в журнал с идентификатором этого запроса.",
    ),
    "Failing checks: {checks}": (
        "Oʻtmagan tekshiruvlar: {checks}",
        "Не пройдены проверки: {checks}",
    ),
    "The cursor is not one this API returned.": (
        "Bu kursorni ushbu API bermagan.",
        "Этот курсор выдан не этим API.",
    ),
    "This Idempotency-Key was used for a different request.": (
        "Bu Idempotency-Key boshqa soʻrov uchun ishlatilgan.",
        "Этот Idempotency-Key уже использован для другого запроса.",
    ),
    "used for another request": (
        "boshqa soʻrov uchun ishlatilgan",
        "использован для другого запроса",
    ),
    "A concurrent request with this Idempotency-Key won.": (
        "Shu Idempotency-Key bilan bir vaqtda yuborilgan boshqa soʻrov ustun keldi.",
        "Одновременный запрос с этим Idempotency-Key оказался первым.",
    ),
    "Send the file as {media_type} in UTF-8.": (
        "Faylni {media_type} sifatida, UTF-8 kodlashda yuboring.",
        "Отправьте файл как {media_type} в кодировке UTF-8.",
    ),
    "expected {media_type}": ("{media_type} kutilgan", "ожидается {media_type}"),
    "text may not contain NUL (\\u0000) characters": (
        "Matnda NUL (\\u0000) belgisi boʻlmasligi kerak",
        "Текст не может содержать символ NUL (\\u0000)",
    ),
    "value is not a valid email address": (
        "Elektron pochta manzili notoʻgʻri",
        "Некорректный адрес электронной почты",
    ),
    "the audit trail is for the ministry and operators": (
        "Audit jurnali faqat vazirlik va operatorlar uchun",
        "Журнал аудита доступен только министерству и операторам",
    ),
    # Tokens (shared/platform/auth.py).
    "a bearer token is required": ("Bearer token kerak", "Нужен токен доступа (Bearer)"),
    "invalid token: {error:text}": ("Token yaroqsiz: {error}", "Недействительный токен: {error}"),
    "invalid token: longer than {limit} bytes (a padded token costs every service its decoding)": (
        "Token yaroqsiz: {limit} baytdan uzun (keraksiz uzun token har bir xizmatni ortiqcha "
        "yuklaydi)",
        "Недействительный токен: длиннее {limit} байт (раздутый токен нагружает каждый сервис "
        "при разборе)",
    ),
    "invalid token: claim {claim} is required": (
        "Token yaroqsiz: {claim} maydoni boʻlishi shart",
        "Недействительный токен: нужно поле {claim}",
    ),
    "invalid token: claim {claim} must be a string": (
        "Token yaroqsiz: {claim} maydoni matn boʻlishi kerak",
        "Недействительный токен: поле {claim} должно быть строкой",
    ),
    "invalid token: claim {claim} must be a number": (
        "Token yaroqsiz: {claim} maydoni son boʻlishi kerak",
        "Недействительный токен: поле {claim} должно быть числом",
    ),
    "invalid token: unknown role {role}": (
        "Token yaroqsiz: nomaʼlum rol {role}",
        "Недействительный токен: неизвестная роль {role}",
    ),
    "invalid token: role {role} needs an org claim": (
        "Token yaroqsiz: {role} roli uchun org maydoni kerak",
        "Недействительный токен: для роли {role} нужно поле org",
    ),
    "invalid token: role regional_authority needs a region claim": (
        "Token yaroqsiz: regional_authority roli uchun region maydoni kerak",
        "Недействительный токен: для роли regional_authority нужно поле region",
    ),
    "invalid token: its lifetime (exp - iat) of {lifetime} s exceeds the maximum of {maximum} s": (
        "Token yaroqsiz: amal qilish muddati (exp - iat) {lifetime} s, ruxsat etilgani {maximum} s",
        "Недействительный токен: срок действия (exp - iat) {lifetime} с больше допустимых "
        "{maximum} с",
    ),
    "algorithm {algorithm} is not allowed": (
        "{algorithm} algoritmiga ruxsat yoʻq",
        "алгоритм {algorithm} не разрешён",
    ),
    "typ {typ} is not JWT or at+jwt": (
        "typ {typ} JWT ham, at+jwt ham emas",
        "typ {typ} — не JWT и не at+jwt",
    ),
    # Why PyJWT refused a token, in our words (auth._REFUSALS): never PyJWT's own message.
    "it has expired": ("muddati tugagan", "срок действия истёк"),
    "it is not valid yet (iat or nbf is in the future)": (
        "hali amal qilmaydi (iat yoki nbf kelajakda)",
        "ещё не действует (iat или nbf в будущем)",
    ),
    "its issue time (iat) is not a number": (
        "berilgan vaqti (iat) son emas",
        "время выдачи (iat) — не число",
    ),
    "its issuer (iss) is not trusted here": (
        "beruvchisi (iss) bu yerda ishonchli emas",
        "издатель (iss) здесь не признаётся",
    ),
    "it is not addressed to this platform (aud)": (
        "bu platforma uchun berilmagan (aud)",
        "выдан не для этой платформы (aud)",
    ),
    "its subject (sub) is not a string": (
        "subyekti (sub) matn emas",
        "субъект (sub) — не строка",
    ),
    "its signature does not verify": ("imzosi tasdiqlanmadi", "подпись не прошла проверку"),
    "its algorithm is not allowed": ("algoritmiga ruxsat yoʻq", "алгоритм не разрешён"),
    "it is not a well-formed JWT": ("toʻgʻri tuzilgan JWT emas", "это не корректный JWT"),
    "its issuer's keys could not be fetched; try again": (
        "beruvchining kalitlarini olib boʻlmadi; qayta urinib koʻring",
        "не удалось получить ключи издателя; попробуйте ещё раз",
    ),
    "no key of its issuer matches it (kid)": (
        "beruvchining hech bir kaliti unga mos kelmaydi (kid)",
        "ни один ключ издателя ему не подходит (kid)",
    ),
    "the service has no key to verify it with": (
        "xizmatda uni tekshirish uchun kalit yoʻq",
        "у сервиса нет ключа для его проверки",
    ),
    "it could not be verified": ("uni tekshirib boʻlmadi", "его не удалось проверить"),
    # -- the gateway ------------------------------------------------------------------------------
    "no route answers {path}": ("{path} yoʻli mavjud emas", "Маршрута {path} нет"),
    "no service answers {path}": (
        "{path} yoʻliga hech bir xizmat javob bermaydi",
        "Ни один сервис не обслуживает {path}",
    ),
    "{method} is not allowed on {path}; allowed: {allowed}": (
        "{path} uchun {method} usuliga ruxsat yoʻq; ruxsat etilganlari: {allowed}",
        "Метод {method} для {path} не разрешён; разрешены: {allowed}",
    ),
    "the role {role} may not call {method} {route}": (
        "{role} roli {method} {route} chaqira olmaydi",
        "Роли {role} нельзя вызывать {method} {route}",
    ),
    "too many requests from this client; retry in {seconds} s": (
        "Bu mijozdan soʻrovlar juda koʻp; {seconds} s dan keyin qayta urinib koʻring",
        "Слишком много запросов от этого клиента; повторите через {seconds} с",
    ),
    "the request body is larger than the gateway accepts ({limit} bytes)": (
        "Soʻrov tanasi shlyuz qabul qiladiganidan katta ({limit} bayt)",
        "Тело запроса больше, чем принимает шлюз ({limit} байт)",
    ),
    "the {service} service is unavailable": (
        "{service} xizmati ishlamayapti",
        "Сервис {service} недоступен",
    ),
    "the {service} service failed to answer": (
        "{service} xizmati javob bera olmadi",
        "Сервис {service} не смог ответить",
    ),
    "the {service} service did not answer within {seconds} s. The request may or may not have "
    "been carried out: retry it with the same Idempotency-Key to get its outcome without doing "
    "it twice (without a key, read the current state before retrying)": (
        "{service} xizmati {seconds} s ichida javob bermadi. Soʻrov bajarilgan yoki bajarilmagan "
        "boʻlishi mumkin: natijasini ikki marta bajarmasdan bilish uchun xuddi shu "
        "Idempotency-Key bilan qayta yuboring (kalitsiz boʻlsa, avval joriy holatni oʻqing)",
        "Сервис {service} не ответил за {seconds} с. Запрос мог быть выполнен, а мог и нет: "
        "повторите его с тем же Idempotency-Key, чтобы узнать результат, не выполняя дважды "
        "(без ключа сначала прочитайте текущее состояние)",
    ),
    "the {service} service did not send its API document": (
        "{service} xizmati API hujjatini yubormadi",
        "Сервис {service} не прислал описание API",
    ),
    "{reason:text}; retry shortly": (
        "{reason}; birozdan soʻng qayta urinib koʻring",
        "{reason}; повторите чуть позже",
    ),
    "no dashboard file {name}": ("{name} panel fayli yoʻq", "Файла панели {name} нет"),
    "The gateway's event store is not available; retry shortly.": (
        "Shlyuzning hodisalar ombori ishlamayapti; birozdan soʻng qayta urinib koʻring.",
        "Хранилище событий шлюза недоступно; повторите чуть позже.",
    ),
    "at most {count} open event streams per {per}": (
        "Har bir {per} uchun koʻpi bilan {count} ta ochiq hodisalar oqimi",
        "Не больше {count} открытых потоков событий на {per}",
    ),
    "{reason:text}; close one before opening another": (
        "{reason}; yangisini ochishdan oldin bittasini yoping",
        "{reason}; закройте один, прежде чем открыть новый",
    ),
    "sign-in through an identity provider is not set up": (
        "Identifikatsiya provayderi orqali kirish sozlanmagan",
        "Вход через провайдера идентификации не настроен",
    ),
    "the identity provider did not answer ({error}); try again": (
        "Identifikatsiya provayderi javob bermadi ({error}); qayta urinib koʻring",
        "Провайдер идентификации не ответил ({error}); попробуйте ещё раз",
    ),
    "the identity provider did not accept the sign-in; start it again": (
        "Identifikatsiya provayderi kirishni qabul qilmadi; qaytadan boshlang",
        "Провайдер идентификации не принял вход; начните заново",
    ),
    "not accepted by the identity provider": (
        "identifikatsiya provayderi qabul qilmadi",
        "не принято провайдером идентификации",
    ),
    "quality event streams and webhooks are for the ministry and regions": (
        "Sifat hodisalari oqimi va webhooklar faqat vazirlik va hududlar uchun",
        "Потоки событий качества и вебхуки доступны только министерству и регионам",
    ),
    "subscription {id} already sends these events to this url": (
        "{id} obunasi bu hodisalarni shu url manziliga allaqachon yuboradi",
        "Подписка {id} уже отправляет эти события на этот url",
    ),
    "at most {count} active subscriptions per owner; deactivate one first": (
        "Bir egaga koʻpi bilan {count} ta faol obuna; avval bittasini oʻchiring",
        "Не больше {count} активных подписок на владельца; сначала отключите одну",
    ),
    "must lead to a public address; {host} is not one": (
        "ochiq manzilga olib borishi kerak; {host} ochiq manzil emas",
        "должен вести на публичный адрес; {host} таким не является",
    ),
    "must be at most {count} characters": (
        "koʻpi bilan {count} ta belgi boʻlishi kerak",
        "не длиннее {count} {count:символа|символов|символов}",
    ),
    # -- shared by several services --------------------------------------------------------------
    "{what:noun} {key} does not exist": ("{what} {key} mavjud emas", "{what} {key} не существует"),
    "field_code must be an ISCED-F 2013 detailed field": (
        "field_code ISCED-F 2013 boʻyicha batafsil yoʻnalish kodi boʻlishi kerak",
        "field_code должен быть детальным направлением ISCED-F 2013",
    ),
    "isco_code must be an ISCO-08 unit group (4 digits)": (
        "isco_code ISCO-08 boʻyicha boshlangʻich guruh kodi boʻlishi kerak (4 ta raqam)",
        "isco_code должен быть начальной группой ISCO-08 (4 цифры)",
    ),
    "end_date may not be before start_date": (
        "end_date start_date dan oldin boʻlishi mumkin emas",
        "end_date не может быть раньше start_date",
    ),
    "the {role} role has no access to {what:noun}s": (
        "{role} roli uchun bu maʼlumotlar yopiq: {what}",
        "Для роли {role} эти данные недоступны: {what}",
    ),
    # -- assessment -------------------------------------------------------------------------------
    "only the employer itself may assess its employees or see its assessments": (
        "Xodimlarini faqat ish beruvchining oʻzi baholay oladi va baholarini koʻra oladi",
        "Оценивать своих сотрудников и видеть эти оценки может только сам работодатель",
    ),
    "only employers see individual assessments, and only their own": (
        "Alohida baholashlarni faqat ish beruvchilar koʻradi, faqat oʻzinikini",
        "Отдельные оценки видят только работодатели, и только свои",
    ),
    "only the ministry sees integrity checks": (
        "Yaxlitlik tekshiruvlarini faqat vazirlik koʻradi",
        "Проверки целостности видит только министерство",
    ),
    "operators have no access to frameworks": (
        "Operatorlar kompetensiyalar tizimlarini koʻra olmaydi",
        "У операторов нет доступа к рамкам компетенций",
    ),
    "only the ministry publishes competency frameworks": (
        "Kompetensiyalar tizimini faqat vazirlik eʼlon qiladi",
        "Рамки компетенций публикует только министерство",
    ),
    "only the employer itself states its requirements": (
        "Talablarni faqat ish beruvchining oʻzi belgilaydi",
        "Свои требования указывает только сам работодатель",
    ),
    "only the cluster's coordinator states the cluster's requirements": (
        "Klaster talablarini faqat uning koordinatori belgilaydi",
        "Требования кластера указывает только его координатор",
    ),
    "the {role} role has no access to requirements": (
        "{role} roli talablarni koʻra olmaydi",
        "Для роли {role} требования недоступны",
    ),
    "this requirement is another employer's": (
        "Bu talab boshqa ish beruvchiga tegishli",
        "Это требование другого работодателя",
    ),
    "an institution sees the assessments of its own programs only": (
        "Taʼlim muassasasi faqat oʻz dasturlari baholashlarini koʻradi",
        "Учебное заведение видит оценки только своих программ",
    ),
    "only an employer or an institution asks for reminders, each its own": (
        "Eslatmalarni faqat ish beruvchi yoki taʼlim muassasasi, har biri oʻzi uchun soʻraydi",
        "Напоминания запрашивает только работодатель или учебное заведение, каждый для себя",
    ),
    "not eligible: this employer's employment of the graduate in {period} is {states}; it must "
    "be confirmed by the graduate's institution (or the graduate) or verified in a register "
    "import before the employer may assess the graduate": (
        "Baholab boʻlmaydi: bu ish beruvchining bitiruvchini {period}-yilda ishga olishi holati — "
        "{states}; ish beruvchi baholashi uchun uni bitiruvchining taʼlim muassasasi (yoki "
        "bitiruvchining oʻzi) tasdiqlashi yoki reyestr importida tekshirilishi kerak",
        "Оценка невозможна: трудоустройство выпускника у этого работодателя в {period} году "
        "в состоянии {states}; прежде чем работодатель сможет оценить выпускника, его должно "
        "подтвердить учебное заведение выпускника (или сам выпускник) или проверить импорт "
        "реестра",
    ),
    "{reason:text} (if it was confirmed moments ago, retry shortly)": (
        "{reason} (agar hozirgina tasdiqlangan boʻlsa, birozdan soʻng qayta urinib koʻring)",
        "{reason} (если подтверждение было только что, повторите чуть позже)",
    ),
    "code {code} is used twice in this framework": (
        "{code} kodi bu tizimda ikki marta ishlatilgan",
        "Код {code} дважды встречается в этой рамке",
    ),
    "{code} is not a competency of {name}": (
        "{code} — {name} kompetensiyasi emas",
        "{code} — не компетенция рамки {name}",
    ),
    "{code} may be marked not required only with a null rating": (
        "{code} faqat null baho bilan «talab qilinmaydi» deb belgilanishi mumkin",
        "{code} можно отметить как «не требуется» только при оценке null",
    ),
    "give exactly one of {first} and {second}": (
        "{first} yoki {second} dan faqat bittasini bering",
        "Укажите ровно одно из двух: {first} или {second}",
    ),
    "period may not be a future year": (
        "period kelgusi yil boʻlishi mumkin emas",
        "period не может быть будущим годом",
    ),
    "the graduate graduated in {year}": (
        "Bitiruvchi {year}-yilda bitirgan",
        "Выпускник окончил обучение в {year} году",
    ),
    "this employer did not employ the graduate in {period}, or the employment ended more than "
    "{months} months ago": (
        "Bu ish beruvchi bitiruvchini {period}-yilda ishga olmagan yoki ish {months} oydan "
        "koʻproq oldin tugagan",
        "Этот работодатель не нанимал выпускника в {period} году, или трудоустройство "
        "закончилось больше {months} мес. назад",
    ),
    "this graduate already has an active assessment for {period} ({assessment}); revise it with "
    "PUT /api/v1/assessments/{twin}": (
        "Bu bitiruvchining {period}-yil uchun faol baholashi bor ({assessment}); uni PUT "
        "/api/v1/assessments/{twin} orqali tahrirlang",
        "У этого выпускника уже есть действующая оценка за {period} год ({assessment}); "
        "измените её через PUT /api/v1/assessments/{twin}",
    ),
    "The assessment was changed at the same time; read it and retry.": (
        "Baholash shu vaqtda oʻzgartirildi; uni qayta oʻqing va yana urinib koʻring.",
        "Оценку изменили в то же время; прочитайте её и повторите.",
    ),
    "a withdrawn assessment cannot be revised; submit a new one": (
        "Qaytarib olingan baholashni tahrirlab boʻlmaydi; yangisini yuboring",
        "Отозванную оценку нельзя изменить; отправьте новую",
    ),
    "item {item} already assesses this graduate for {period}": (
        "{item}-element bu bitiruvchini {period}-yil uchun allaqachon baholaydi",
        "Элемент {item} уже оценивает этого выпускника за {period} год",
    ),
    "{failed} of {total} items were refused; nothing was saved.": (
        "{total} ta elementdan {failed} tasi rad etildi; hech narsa saqlanmadi.",
        "Отклонено элементов: {failed} из {total}; ничего не сохранено.",
    ),
    "unsubscribe token given does not exist": (
        "Bu havola endi amal qilmaydi yoki notoʻgʻri",
        "Эта ссылка больше не действует или неверна",
    ),
    "{what:noun} {key} is not known to the assessment service yet. If it was registered moments "
    "ago, retry shortly; otherwise register it in the registry first.": (
        "{what} {key} baholash xizmatiga hali maʼlum emas. Hozirgina roʻyxatga olingan boʻlsa, "
        "birozdan soʻng qayta urinib koʻring; aks holda avval reyestrda roʻyxatga oling.",
        "Сервис оценок пока не знает: {what} {key}. Если это только что зарегистрировали, "
        "повторите чуть позже; иначе сначала зарегистрируйте в реестре.",
    ),
    "an employment of graduate {graduate_id} by employer {employer_id} is not known to the "
    "assessment service yet. If it was registered moments ago, retry shortly; otherwise "
    "register it in the registry first.": (
        "Ish beruvchi {employer_id} tomonidan bitiruvchi {graduate_id} ishga olingani baholash "
        "xizmatiga hali maʼlum emas. Hozirgina roʻyxatga olingan boʻlsa, birozdan soʻng qayta "
        "urinib koʻring; aks holda avval reyestrda roʻyxatga oling.",
        "Сервис оценок пока не знает о трудоустройстве выпускника {graduate_id} у работодателя "
        "{employer_id}. Если его только что зарегистрировали, повторите чуть позже; иначе "
        "сначала зарегистрируйте его в реестре.",
    ),
    "the program of graduate {graduate_id} is not known to the assessment service yet. If it "
    "was registered moments ago, retry shortly; otherwise register it in the registry first.": (
        "Bitiruvchi {graduate_id} dasturi baholash xizmatiga hali maʼlum emas. Hozirgina "
        "roʻyxatga olingan boʻlsa, birozdan soʻng qayta urinib koʻring; aks holda avval "
        "reyestrda roʻyxatga oling.",
        "Сервис оценок пока не знает программу выпускника {graduate_id}. Если её только что "
        "зарегистрировали, повторите чуть позже; иначе сначала зарегистрируйте её в реестре.",
    ),
    "{what:noun} {key} is not active": (
        "{what} {key} faol emas",
        "{what} {key} в неактивном статусе",
    ),
    "organization {id} is not an employer": (
        "{id} tashkiloti ish beruvchi emas",
        "Организация {id} не является работодателем",
    ),
    "framework {id} does not exist": (
        "{id} kompetensiyalar tizimi mavjud emas",
        "Рамки компетенций {id} не существует",
    ),
    # -- quality ---------------------------------------------------------------------------------
    "operators have no access to quality scores": (
        "Operatorlar sifat baholarini koʻra olmaydi",
        "У операторов нет доступа к оценкам качества",
    ),
    "only the ministry publishes the methodology": (
        "Metodologiyani faqat vazirlik eʼlon qiladi",
        "Методологию публикует только министерство",
    ),
    "only the ministry excludes assessments from the figures": (
        "Baholashlarni koʻrsatkichlardan faqat vazirlik chiqaradi",
        "Исключать оценки из показателей может только министерство",
    ),
    "only the ministry opens and publishes releases": (
        "Nashrlarni faqat vazirlik ochadi va eʼlon qiladi",
        "Открывает и выпускает публикации только министерство",
    ),
    "only the ministry and institutions see draft releases": (
        "Nashr loyihalarini faqat vazirlik va taʼlim muassasalari koʻradi",
        "Черновики публикаций видят только министерство и учебные заведения",
    ),
    "institutions query draft figures; the ministry answers": (
        "Loyiha koʻrsatkichlari boʻyicha soʻrovni taʼlim muassasalari yuboradi, vazirlik javob "
        "beradi",
        "Запросы по черновым показателям направляют учебные заведения; отвечает министерство",
    ),
    "an institution queries only its own figures": (
        "Taʼlim muassasasi faqat oʻz koʻrsatkichlari boʻyicha soʻrov yuboradi",
        "Учебное заведение может запрашивать только свои показатели",
    ),
    "only the ministry reads live figures; others read publications": (
        "Jonli raqamlarni faqat vazirlik koʻradi; qolganlar nashrlarni oʻqiydi",
        "Текущие данные видит только министерство; остальные читают публикации",
    ),
    "only the ministry, the region's authority and the cluster's members read its work": (
        "Klaster ishini faqat vazirlik, hududiy boshqarma va klaster aʼzolari koʻradi",
        "Работу кластера видят только министерство, региональный орган и участники кластера",
    ),
    "only the ministry and the region's authority read its graduate flows": (
        "Bitiruvchilar oqimini faqat vazirlik va hududiy boshqarma koʻradi",
        "Потоки выпускников видят только министерство и региональный орган",
    ),
    "weights must be non-negative with a positive total": (
        "Vaznlar manfiy boʻlmasligi, yigʻindisi esa musbat boʻlishi kerak",
        "Веса должны быть неотрицательными, а их сумма — положительной",
    ),
    "the interval level must be strictly between 0 and 1": (
        "Ishonch darajasi 0 va 1 orasida boʻlishi kerak (chegaralarsiz)",
        "Уровень доверия должен быть строго между 0 и 1",
    ),
    "min_known_share: a share between 0 and 1": (
        "min_known_share: 0 va 1 orasidagi ulush",
        "min_known_share: доля от 0 до 1",
    ),
    "outcome_lag_days: between 0 and 366 days": (
        "outcome_lag_days: 0 dan 366 kungacha",
        "outcome_lag_days: от 0 до 366 дней",
    ),
    "the satisfied threshold lies in {low}..{high}": (
        "Qoniqish chegarasi {low}..{high} oraligʻida boʻladi",
        "Порог удовлетворённости лежит в пределах {low}..{high}",
    ),
    "{field}: name at least one employment state": (
        "{field}: kamida bitta ishga joylashish holatini koʻrsating",
        "{field}: укажите хотя бы одно состояние трудоустройства",
    ),
    "{field}: unknown state {state}; the states are {states}": (
        "{field}: nomaʼlum holat {state}; mavjud holatlar: {states}",
        "{field}: неизвестное состояние {state}; допустимые состояния: {states}",
    ),
    "{field}: a state is named more than once": (
        "{field}: holat bir necha marta koʻrsatilgan",
        "{field}: состояние указано больше одного раза",
    ),
    "{field}: a rejected employment never counts": (
        "{field}: rad etilgan ishga joylashish hech qachon hisobga olinmaydi",
        "{field}: отклонённое трудоустройство никогда не учитывается",
    ),
    "a rating mean lies between 1 and 5, got {value}": (
        "Oʻrtacha baho 1 va 5 orasida boʻladi, berilgani {value}",
        "Средняя оценка лежит между 1 и 5, получено {value}",
    ),
    "a share lies between 0 and 1, got {value}": (
        "Ulush 0 va 1 orasida boʻladi, berilgani {value}",
        "Доля лежит между 0 и 1, получено {value}",
    ),
    "{name} may not be below {floor}": (
        "{name} {floor} dan kam boʻlishi mumkin emas",
        "{name} не может быть меньше {floor}",
    ),
    "rounding {name} is between 0 and 6 decimals": (
        "{name} yaxlitlash 0 dan 6 gacha kasr xonasi boʻladi",
        "Округление {name} — от 0 до 6 знаков после запятой",
    ),
    "protection_width is a share width between 0 and 0.5": (
        "protection_width 0 va 0.5 orasidagi ulush kengligi",
        "protection_width — ширина доли между 0 и 0.5",
    ),
    "published publication {number} does not exist": (
        "Eʼlon qilingan nashrlar orasida {number}-nashr yoʻq",
        "Публикации № {number} среди опубликованных нет",
    ),
    "publication {number} is published and never changes": (
        "{number}-nashr eʼlon qilingan va hech qachon oʻzgarmaydi",
        "Публикация {number} уже опубликована и больше не меняется",
    ),
    "publication {number} is not an official release under review": (
        "{number}-nashr koʻrib chiqilayotgan rasmiy nashr emas",
        "Публикация {number} — не официальная публикация на рассмотрении",
    ),
    "the review of publication {number} closed at {closed}": (
        "{number}-nashrni koʻrib chiqish {closed} da yopilgan",
        "Рассмотрение публикации {number} закрыто {closed}",
    ),
    "publication {number} of {period} is already under review": (
        "{period}-yilning {number}-nashri allaqachon koʻrib chiqilmoqda",
        "Публикация {number} за {period} год уже на рассмотрении",
    ),
    "publication {number} of {period} is under review": (
        "{period}-yilning {number}-nashri koʻrib chiqilmoqda",
        "Публикация {number} за {period} год на рассмотрении",
    ),
    "another publication was made while publication {number} was computed: open it again": (
        "{number}-nashr hisoblanayotganda boshqa nashr chiqarildi: uni qaytadan oching",
        "Пока вычислялась публикация {number}, была сделана другая: откройте её снова",
    ),
    "publication {number} of {period} is under review and shares years with {other}: publish "
    "it first": (
        "{period}-yilning {number}-nashri koʻrib chiqilmoqda va {other}-yil bilan umumiy "
        "yillarni qamraydi: avval uni eʼlon qiling",
        "Публикация {number} за {period} год на рассмотрении и охватывает общие годы с {other}: "
        "сначала опубликуйте её",
    ),
    "a restatement says why it corrects the release": (
        "Qayta eʼlon qilishda nashr nima uchun tuzatilayotgani yoziladi",
        "В переиздании нужно указать, почему исправляется публикация",
    ),
    "{period} was released as publication {number}; a correction is a restatement (restate: "
    "true, with a reason)": (
        "{period}-yil {number}-nashr sifatida eʼlon qilingan; tuzatish — qayta eʼlon qilish "
        "(restate: true, sababi bilan)",
        "{period} год выпущен как публикация {number}; исправление — это переиздание "
        "(restate: true, с указанием причины)",
    ),
    "{period} has no official release to restate": (
        "{period}-yil uchun qayta eʼlon qilinadigan rasmiy nashr yoʻq",
        "За {period} год нет официальной публикации для переиздания",
    ),
    "publication figure of {scope} {key} does not exist": (
        "Nashrda {scope} {key} koʻrsatkichi yoʻq",
        "В публикации нет показателя для {scope} {key}",
    ),
    "the scorecard has no indicator {indicator}": (
        "Koʻrsatkichlar kartasida {indicator} koʻrsatkichi yoʻq",
        "В карте показателей нет показателя {indicator}",
    ),
    "primary suppression names unknown children: {children}": (
        "Birlamchi yashirishda nomaʼlum quyi birliklar koʻrsatilgan: {children}",
        "Первичное скрытие называет неизвестные дочерние единицы: {children}",
    ),
    "child counts cannot be negative": (
        "Quyi birliklar soni manfiy boʻlishi mumkin emas",
        "Число дочерних единиц не может быть отрицательным",
    ),
    "a live read names no publication": (
        "Jonli raqamlarni oʻqishda nashr koʻrsatilmaydi",
        "При чтении текущих данных публикация не указывается",
    ),
    "no {period} score for {scope} {key} does not exist": (
        "{scope} {key} uchun {period}-yil bahosi yoʻq",
        "Для {scope} {key} нет оценки за {period} год",
    ),
    "no score yet for {scope} {key} does not exist": (
        "{scope} {key} uchun hali baho yoʻq",
        "Для {scope} {key} пока нет оценки",
    ),
    "published {period} comparison of cluster {key} does not exist": (
        "{key} klasterining {period}-yil uchun eʼlon qilingan taqqoslashi yoʻq",
        "Опубликованного сравнения кластера {key} за {period} год нет",
    ),
    "the {cohort} cohort's flow release {scope} {key} (new since) does not exist": (
        "{cohort}-yil bitiruvchilari oqimining {scope} {key} uchun nashri yoʻq",
        "Публикации потоков выпускников {cohort} года для {scope} {key} нет",
    ),
    "the {cohort} cohort's flows in publication {number} does not exist": (
        "{number}-nashrda {cohort}-yil bitiruvchilari oqimlari yoʻq",
        "В публикации № {number} нет потоков выпускников {cohort} года",
    ),
    "{count} queries on publication {number} await an answer": (
        "{number}-nashr boʻyicha {count} ta soʻrov javob kutmoqda",
        "Запросов по публикации {number}, ожидающих ответа: {count}",
    ),
    "the review of publication {number} is open until {until}; publish with close_review: true "
    "to close it early": (
        "{number}-nashrni koʻrib chiqish {until} gacha ochiq; muddatidan oldin yopish uchun "
        "close_review: true bilan eʼlon qiling",
        "Рассмотрение публикации {number} открыто до {until}; чтобы закрыть его раньше, "
        "публикуйте с close_review: true",
    ),
    "query {id} was answered at {answered_at}": (
        "{id} soʻroviga {answered_at} da javob berilgan",
        "На запрос {id} ответили {answered_at}",
    ),
    "name an assessment_id or an employer_id (one)": (
        "assessment_id yoki employer_id ni koʻrsating (bittasini)",
        "Укажите assessment_id или employer_id (одно из них)",
    ),
    "say why, for the record": (
        "Sababini yozing, qayd uchun",
        "Укажите причину — для протокола",
    ),
    # -- registry --------------------------------------------------------------------------------
    "operators have no access to registry data": (
        "Operatorlar reyestr maʼlumotlarini koʻra olmaydi",
        "У операторов нет доступа к данным реестра",
    ),
    "only the ministry manages regions": (
        "Hududlarni faqat vazirlik boshqaradi",
        "Регионами управляет только министерство",
    ),
    "only the ministry or region {region}'s authority may manage clusters": (
        "Klasterlarni faqat vazirlik yoki {region} hududiy boshqarmasi boshqara oladi",
        "Управлять кластерами может только министерство или региональный орган {region}",
    ),
    "only the ministry or region {region}'s authority may manage organizations": (
        "Tashkilotlarni faqat vazirlik yoki {region} hududiy boshqarmasi boshqara oladi",
        "Управлять организациями может только министерство или региональный орган {region}",
    ),
    "only the ministry or region {region}'s authority may manage this cluster": (
        "Bu klasterni faqat vazirlik yoki {region} hududiy boshqarmasi boshqara oladi",
        "Управлять этим кластером может только министерство или региональный орган {region}",
    ),
    "only the ministry or region {region}'s authority may manage this cluster's members": (
        "Bu klaster aʼzolarini faqat vazirlik yoki {region} hududiy boshqarmasi boshqara oladi",
        "Управлять участниками этого кластера может только министерство или региональный "
        "орган {region}",
    ),
    "only the ministry or region {region}'s authority may manage this organization": (
        "Bu tashkilotni faqat vazirlik yoki {region} hududiy boshqarmasi boshqara oladi",
        "Управлять этой организацией может только министерство или региональный орган {region}",
    ),
    "only the ministry or region {region}'s authority may manage its {field}": (
        "«{field}» ni faqat vazirlik yoki {region} hududiy boshqarmasi oʻzgartira oladi",
        "Изменять «{field}» может только министерство или региональный орган {region}",
    ),
    "an institution manages only its own programs and graduates": (
        "Taʼlim muassasasi faqat oʻz dasturlari va bitiruvchilarini boshqaradi",
        "Учебное заведение управляет только своими программами и выпускниками",
    ),
    "only the ministry or an operator imports": (
        "Importni faqat vazirlik yoki operator bajaradi",
        "Импортировать может только министерство или оператор",
    ),
    "only an employer looks up graduates by national identifier": (
        "Bitiruvchini JShShIR boʻyicha faqat ish beruvchi qidiradi",
        "Искать выпускника по ПИНФЛ может только работодатель",
    ),
    "this employer made {quota} graduate lookups in the last hour, the most allowed; retry in "
    "{seconds} s": (
        "Bu ish beruvchi soʻnggi bir soatda bitiruvchini {quota} marta qidirdi, bu ruxsat "
        "etilgan eng koʻp son; {seconds} s dan keyin qayta urinib koʻring",
        "Этот работодатель за последний час искал выпускников {quota} "
        "{quota:раз|раза|раз}, это наибольшее допустимое число; повторите через {seconds} с",
    ),
    "an employer records employments only for itself": (
        "Ish beruvchi ishga qabul qilishni faqat oʻzi uchun qayd etadi",
        "Работодатель регистрирует трудоустройства только для себя",
    ),
    "only the cluster's coordinator and the members involved record its activities": (
        "Klaster faoliyatini faqat koordinator va unda qatnashayotgan aʼzolar qayd etadi",
        "Мероприятия кластера регистрируют только координатор и участвующие в них члены",
    ),
    "only the cluster's coordinator sets its strategy goals": (
        "Klasterning strategik maqsadlarini faqat uning koordinatori belgilaydi",
        "Стратегические цели кластера задаёт только его координатор",
    ),
    "the {role} role has no access to graduates": (
        "{role} roli bitiruvchilar maʼlumotlarini koʻra olmaydi",
        "Для роли {role} данные выпускников недоступны",
    ),
    "the {role} role has no access to employments": (
        "{role} roli ishga joylashish maʼlumotlarini koʻra olmaydi",
        "Для роли {role} сведения о трудоустройстве недоступны",
    ),
    "a {current} activity cannot become {new}": (
        "«{current}» holatidagi faoliyat «{new}» holatiga oʻta olmaydi",
        "Мероприятие в статусе «{current}» не может перейти в статус «{new}»",
    ),
    "an activity needs a title": ("Faoliyatga nom bering", "У мероприятия должно быть название"),
    "places_filled may not exceed places_offered": (
        "places_filled places_offered dan oshmasligi kerak",
        "places_filled не может превышать places_offered",
    ),
    "a graduate is named twice": (
        "Bitiruvchi ikki marta koʻrsatilgan",
        "Выпускник указан дважды",
    ),
    "more graduates named than places_filled": (
        "Koʻrsatilgan bitiruvchilar places_filled dan koʻp",
        "Указано больше выпускников, чем places_filled",
    ),
    "give at least one year": ("Kamida bitta yilni kiriting", "Укажите хотя бы один год"),
    "the year lies outside the activity's dates": (
        "Yil faoliyat muddatidan tashqarida",
        "Год вне сроков мероприятия",
    ),
    "{year} is given twice": ("{year} ikki marta berilgan", "{year} указан дважды"),
    "an institution does not train itself": (
        "Taʼlim muassasasi oʻzini oʻzi oʻqitmaydi",
        "Учебное заведение не обучает само себя",
    ),
    "name at least one partner": (
        "Kamida bitta hamkorni koʻrsating",
        "Укажите хотя бы одного партнёра",
    ),
    "a partner is named twice": ("Hamkor ikki marta koʻrsatilgan", "Партнёр указан дважды"),
    "amount may not be negative": (
        "amount manfiy boʻlishi mumkin emas",
        "amount не может быть отрицательным",
    ),
    "currency must be an ISO 4217 code (3 capitals, e.g. UZS)": (
        "currency ISO 4217 kodi boʻlishi kerak (3 ta bosh harf, masalan UZS)",
        "currency должен быть кодом ISO 4217 (3 заглавные буквы, например UZS)",
    ),
    "a partner does not fund itself": (
        "Hamkor oʻzini oʻzi moliyalashtirmaydi",
        "Партнёр не финансирует сам себя",
    ),
    "{field} may not be negative": (
        "{field} manfiy boʻlishi mumkin emas",
        "{field} не может быть отрицательным",
    ),
    "{field} may not be empty": (
        "{field} boʻsh boʻlishi mumkin emas",
        "{field} не может быть пустым",
    ),
    "not a published indicator: {indicators}": (
        "Eʼlon qilinadigan koʻrsatkich emas: {indicators}",
        "Не публикуемый показатель: {indicators}",
    ),
    "not an activity measure: {measures}": (
        "Faoliyat koʻrsatkichi emas: {measures}",
        "Не показатель мероприятий: {measures}",
    ),
    "the target of {code} is {bounds}": (
        "{code} uchun maqsadli qiymat: {bounds}",
        "Целевое значение {code}: {bounds}",
    ),
    "by_year lies between {first} and {last}": (
        "by_year {first} va {last} oraligʻida boʻladi",
        "by_year лежит между {first} и {last}",
    ),
    "a {kind} organization's subtype must be {hint}": (
        "{kind} tashkilotining subtype qiymati {hint} boʻlishi kerak",
        "subtype организации вида {kind} должен быть {hint}",
    ),
    "a taxpayer id (STIR) is 9 digits, starting with 2-7": (
        "STIR 9 ta raqamdan iborat va 2–7 bilan boshlanadi",
        "ИНН (STIR) — 9 цифр, первая от 2 до 7",
    ),
    "an ISO 3166-2 code of the region's country, e.g. UZ-SA": (
        "hudud mamlakatining ISO 3166-2 kodi, masalan UZ-SA",
        "код ISO 3166-2 страны региона, например UZ-SA",
    ),
    "the {role} role is for {needed} organizations, not {kind}": (
        "{role} roli {kind} uchun emas, {needed} tashkilotlari uchun",
        "Роль {role} — для организаций вида {needed}, а не {kind}",
    ),
    "not ISIC Rev.4 sections: {sections}": (
        "ISIC Rev.4 boʻlimlari emas: {sections}",
        "Не разделы ISIC Rev.4: {sections}",
    ),
    "level must be an ISCED 2011 level (0-8)": (
        "level ISCED 2011 darajasi boʻlishi kerak (0–8)",
        "level должен быть уровнем ISCED 2011 (0–8)",
    ),
    "graduation_year must be between {first} and {last}": (
        "graduation_year {first} va {last} oraligʻida boʻlishi kerak",
        "graduation_year должен быть от {first} до {last}",
    ),
    "start_date is before the graduate's graduation year ({year})": (
        "start_date bitiruvchi bitirgan yildan ({year}) oldin",
        "start_date раньше года выпуска выпускника ({year})",
    ),
    "start_date is before the employer was registered ({registered_on})": (
        "start_date ish beruvchi roʻyxatga olingan sanadan ({registered_on}) oldin",
        "start_date раньше регистрации работодателя ({registered_on})",
    ),
    "a follow-up's outcome and date are set or cleared together": (
        "Kuzatuv natijasi va sanasi birga kiritiladi yoki birga oʻchiriladi",
        "Результат и дата наблюдения задаются или очищаются вместе",
    ),
    "follow_up_on may not be in the future": (
        "follow_up_on kelajakdagi sana boʻlishi mumkin emas",
        "follow_up_on не может быть в будущем",
    ),
    "follow_up_on is before the graduation year ({year})": (
        "follow_up_on bitirish yilidan ({year}) oldin",
        "follow_up_on раньше года выпуска ({year})",
    ),
    "program {program} is not a program of institution {institution}": (
        "{program} dasturi {institution} taʼlim muassasasining dasturi emas",
        "Программа {program} не относится к учебному заведению {institution}",
    ),
    "say why the employment is to be {target}": (
        "Ishga joylashish nima uchun «{target}» boʻlishi kerakligini yozing",
        "Укажите, почему трудоустройство должно стать «{target}»",
    ),
    "an employment that is {state} cannot be {target}": (
        "«{state}» holatidagi ishga joylashish «{target}» boʻla olmaydi",
        "Трудоустройство в состоянии «{state}» не может стать «{target}»",
    ),
    "national identifiers are not accepted here: the registry has no person key "
    "(EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET)": (
        "Bu yerda shaxsiy identifikatorlar qabul qilinmaydi: reyestrda shaxs kaliti yoʻq "
        "(EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET)",
        "Национальные идентификаторы здесь не принимаются: у реестра нет ключа персон "
        "(EDUCLUSTER_REGISTRY_PERSON_KEY_SECRET)",
    ),
    "a registration date may not be in the future": (
        "Roʻyxatga olish sanasi kelajakda boʻlishi mumkin emas",
        "Дата регистрации не может быть в будущем",
    ),
    "may not be null; leave the field out to keep it": (
        "null boʻlishi mumkin emas; qiymatni saqlab qolish uchun maydonni yubormang",
        "не может быть null; чтобы оставить значение, не передавайте поле",
    ),
    "the cluster is closed": ("Klaster yopilgan", "Кластер закрыт"),
    "the activity stays a {kind}": (
        "Faoliyat turi oʻzgarmaydi: {kind}",
        "Вид мероприятия не меняется: {kind}",
    ),
    "name the members involved": (
        "Qatnashayotgan aʼzolarni koʻrsating",
        "Укажите участвующих членов кластера",
    ),
    "{organization} is named twice": (
        "{organization} ikki marta koʻrsatilgan",
        "{organization} указана дважды",
    ),
    "{organization} is not a current member of the cluster": (
        "{organization} hozir klaster aʼzosi emas",
        "{organization} сейчас не участник кластера",
    ),
    "the activity starts before {organization} joined ({joined_on})": (
        "Faoliyat {organization} qoʻshilishidan ({joined_on}) oldin boshlanadi",
        "Мероприятие начинается до вступления {organization} ({joined_on})",
    ),
    "{organization} left on {left_on}: end the activity by then": (
        "{organization} {left_on} da chiqqan: faoliyatni shu sanagacha yakunlang",
        "{organization} вышла {left_on}: завершите мероприятие к этой дате",
    ),
    "{organization} is not among the members involved": (
        "{organization} qatnashayotgan aʼzolar orasida yoʻq",
        "{organization} нет среди участвующих членов",
    ),
    "{field} must be a {kinds} member": (
        "{field} {kinds} turidagi aʼzo boʻlishi kerak",
        "{field} должен быть участником вида {kinds}",
    ),
    "unknown program {id}": ("Nomaʼlum dastur {id}", "Неизвестная программа {id}"),
    "the program's institution is not among the members involved": (
        "Dasturning taʼlim muassasasi qatnashayotgan aʼzolar orasida yoʻq",
        "Учебного заведения программы нет среди участвующих членов",
    ),
    "{graduate} is not a graduate of program {program}": (
        "{graduate} {program} dasturining bitiruvchisi emas",
        "{graduate} не выпускник программы {program}",
    ),
    "already a member of this cluster": (
        "Bu klasterga allaqachon aʼzo",
        "Уже участник этого кластера",
    ),
    "member of this cluster {key} does not exist": (
        "{key} bu klaster aʼzosi emas",
        "{key} не участник этого кластера",
    ),
    "the coordinator cannot leave; appoint another coordinator first": (
        "Koordinator chiqib keta olmaydi; avval boshqa koordinator tayinlang",
        "Координатор не может выйти; сначала назначьте другого координатора",
    ),
    "left_on is before the organization joined": (
        "left_on tashkilot qoʻshilgan sanadan oldin",
        "left_on раньше даты вступления организации",
    ),
    "only the ministry admits an organization of another region": (
        "Boshqa hudud tashkilotini faqat vazirlik qabul qiladi",
        "Организацию из другого региона может принять только министерство",
    ),
    "unknown region {code}": ("Nomaʼlum hudud {code}", "Неизвестный регион {code}"),
    "unknown organization {id}": ("Nomaʼlum tashkilot {id}", "Неизвестная организация {id}"),
    "organization {id} is not active": ("{id} tashkiloti faol emas", "Организация {id} неактивна"),
    "organization {id} is not a {kind} organization": (
        "{id} tashkiloti {kind} turidagi tashkilot emas",
        "Организация {id} не относится к виду {kind}",
    ),
    "organization {id} is in {region}, not the cluster's region {cluster_region} (only the "
    "ministry admits it, with a cross_region_reason)": (
        "{id} tashkiloti klaster hududi {cluster_region} da emas, {region} da joylashgan (uni "
        "faqat vazirlik cross_region_reason bilan qabul qiladi)",
        "Организация {id} находится в {region}, а не в регионе кластера {cluster_region} "
        "(принять её может только министерство, указав cross_region_reason)",
    ),
    "an employment that is {state} needs no confirmation code": (
        "«{state}» holatidagi ishga joylashish tasdiqlash kodini talab qilmaydi",
        "Трудоустройству в состоянии «{state}» код подтверждения не нужен",
    ),
    "not a valid confirmation code (unknown, used or expired)": (
        "Tasdiqlash kodi yaroqsiz (nomaʼlum, ishlatilgan yoki muddati oʻtgan)",
        "Недействительный код подтверждения (неизвестен, использован или истёк)",
    ),
    "this employer already employs this graduate in that period ({other})": (
        "Bu ish beruvchi shu davrda bu bitiruvchini allaqachon ishga olgan ({other})",
        "Этот работодатель уже нанял этого выпускника на тот же период ({other})",
    ),
    "unknown graduate {id}": ("Nomaʼlum bitiruvchi {id}", "Неизвестный выпускник {id}"),
    "graduate {id} is not active": ("{id} bitiruvchisi faol emas", "Выпускник {id} неактивен"),
    "this employment already ended on {end_date}": (
        "Bu ishga joylashish {end_date} da tugagan",
        "Это трудоустройство уже закончилось {end_date}",
    ),
    "the ministry must name the institution (?institution_id=)": (
        "Vazirlik taʼlim muassasasini koʻrsatishi kerak (?institution_id=)",
        "Министерство должно указать учебное заведение (?institution_id=)",
    ),
    "this institution already registered {student_ref}": (
        "Bu taʼlim muassasasi {student_ref} ni allaqachon roʻyxatga olgan",
        "Это учебное заведение уже зарегистрировало {student_ref}",
    ),
    "taxpayer id already registered ({organization})": (
        "Bu STIR allaqachon roʻyxatga olingan ({organization})",
        "Этот ИНН уже зарегистрирован ({organization})",
    ),
    "this institution already has program {code}": (
        "Bu taʼlim muassasasida {code} dasturi allaqachon bor",
        "У этого учебного заведения уже есть программа {code}",
    ),
    "program {id} is not active": ("{id} dasturi faol emas", "Программа {id} неактивна"),
    # Files (graduate lists as CSV, register extracts as JSON Lines or CSV).
    "The file has {count} error(s){listed:text}; nothing was imported.": (
        "Faylda {count} ta xato bor{listed}; hech narsa import qilinmadi.",
        "Ошибок в файле: {count}{listed}; ничего не импортировано.",
    ),
    " (the first {count})": (" (birinchi {count} tasi)", " (первые {count})"),
    "line too long: is this a CSV file?": (
        "Qator juda uzun: bu CSV faylmi?",
        "Слишком длинная строка: это точно CSV-файл?",
    ),
    "not UTF-8 text (byte {byte}): save the file as CSV UTF-8": (
        "UTF-8 matni emas ({byte} bayti): faylni CSV UTF-8 sifatida saqlang",
        "Не текст UTF-8 (байт {byte}): сохраните файл как CSV UTF-8",
    ),
    "a quoted field is never closed": (
        "Qoʻshtirnoqdagi maydon yopilmagan",
        "Поле в кавычках не закрыто",
    ),
    # What the csv module refuses (streamed_files._malformed), in our words.
    "malformed CSV: a field's closing quote must be followed by a comma or the end of the line": (
        "CSV notoʻgʻri: maydonning yopuvchi qoʻshtirnogʻidan keyin vergul yoki qator oxiri "
        "kelishi kerak",
        "Некорректный CSV: после закрывающей кавычки поля должна идти запятая или конец строки",
    ),
    "malformed CSV: a carriage return (CR) inside a field that is not quoted": (
        "CSV notoʻgʻri: qoʻshtirnoqsiz maydon ichida karetkani qaytarish belgisi (CR) bor",
        "Некорректный CSV: символ возврата каретки (CR) внутри поля без кавычек",
    ),
    "malformed CSV: the record is not CSV as RFC 4180 writes it": (
        "CSV notoʻgʻri: yozuv RFC 4180 boʻyicha CSV emas",
        "Некорректный CSV: запись не соответствует формату CSV по RFC 4180",
    ),
    "unknown column {column}; the columns are {columns}": (
        "Nomaʼlum ustun {column}; ustunlar: {columns}",
        "Неизвестный столбец {column}; столбцы: {columns}",
    ),
    "column {column} appears more than once": (
        "{column} ustuni bir necha marta uchraydi",
        "Столбец {column} встречается больше одного раза",
    ),
    "missing column {column}": ("{column} ustuni yoʻq", "Нет столбца {column}"),
    "national identifiers are not accepted: no person key": (
        "Shaxsiy identifikatorlar qabul qilinmaydi: shaxs kaliti yoʻq",
        "Национальные идентификаторы не принимаются: нет ключа персон",
    ),
    "expected {expected} fields, found {found}": (
        "{expected} ta maydon kutilgan, {found} ta topildi",
        "Ожидалось полей: {expected}, найдено: {found}",
    ),
    "the file is empty; the header row is {header}": (
        "Fayl boʻsh; sarlavha qatori: {header}",
        "Файл пуст; строка заголовка: {header}",
    ),
    "student_ref must be 1-{max} characters": (
        "student_ref 1–{max} ta belgidan iborat boʻlishi kerak",
        "student_ref должен содержать от 1 до {max} символов",
    ),
    "student_ref {student_ref} is also on line {line}": (
        "student_ref {student_ref} {line}-qatorda ham bor",
        "student_ref {student_ref} есть и в строке {line}",
    ),
    "full_name must be 1-{max} characters": (
        "full_name 1–{max} ta belgidan iborat boʻlishi kerak",
        "full_name должен содержать от 1 до {max} символов",
    ),
    "{program} is not a program of this institution": (
        "{program} bu taʼlim muassasasining dasturi emas",
        "{program} — не программа этого учебного заведения",
    ),
    "graduation_year {year} is not a year": (
        "graduation_year {year} yil emas",
        "graduation_year {year} — не год",
    ),
    "national_id must be a PINFL: 14 digits": (
        "national_id JShShIR boʻlishi kerak: 14 ta raqam",
        "national_id должен быть ПИНФЛ: 14 цифр",
    ),
    "name the graduate: person_id, or institution_tax_id and student_ref": (
        "Bitiruvchini koʻrsating: person_id yoki institution_tax_id va student_ref",
        "Укажите выпускника: person_id или institution_tax_id и student_ref",
    ),
    "not a JSON object": ("JSON obyekti emas", "Не объект JSON"),
    "unknown field {field}; the fields are {fields}": (
        "Nomaʼlum maydon {field}; maydonlar: {fields}",
        "Неизвестное поле {field}; поля: {fields}",
    ),
    "employer_tax_id must be a taxpayer id: 9 digits": (
        "employer_tax_id STIR boʻlishi kerak: 9 ta raqam",
        "employer_tax_id должен быть ИНН: 9 цифр",
    ),
    "institution_tax_id must be a taxpayer id: 9 digits": (
        "institution_tax_id STIR boʻlishi kerak: 9 ta raqam",
        "institution_tax_id должен быть ИНН: 9 цифр",
    ),
    "{field} is required (YYYY-MM-DD)": (
        "{field} kiritilishi shart (YYYY-MM-DD)",
        "{field} обязателен (ГГГГ-ММ-ДД)",
    ),
    "{field} {value} is not a date (YYYY-MM-DD)": (
        "{field} {value} sana emas (YYYY-MM-DD)",
        "{field} {value} — не дата (ГГГГ-ММ-ДД)",
    ),
    "type must be one of {types}": (
        "type quyidagilardan biri boʻlishi kerak: {types}",
        "type должен быть одним из: {types}",
    ),
    "in_field must be true or false": (
        "in_field true yoki false boʻlishi kerak",
        "in_field должен быть true или false",
    ),
    "person identifiers are not accepted: no person key": (
        "Shaxs identifikatorlari qabul qilinmaydi: shaxs kaliti yoʻq",
        "Идентификаторы персон не принимаются: нет ключа персон",
    ),
    "person_id must be a PINFL: 14 digits": (
        "person_id JShShIR boʻlishi kerak: 14 ta raqam",
        "person_id должен быть ПИНФЛ: 14 цифр",
    ),
}
