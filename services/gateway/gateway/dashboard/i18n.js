// Labels in Uzbek (Latin script), Russian and English; the choice is kept in localStorage.
// Uzbek spelling: ʻ (U+02BB) in oʻ and gʻ, ʼ (U+02BC) for the tutuq belgisi.

export const LANGUAGES = ["uz", "ru", "en"];
const STORAGE_KEY = "educluster.language";
const LOCALES = { uz: "uz-Latn-UZ", ru: "ru-RU", en: "en-GB" };

const MESSAGES = {
  uz: {
    "app.subtitle": "Taʼlim sifati paneli",
    "nav.overview": "Umumiy koʻrinish",
    "nav.alerts": "Ogohlantirishlar",
    "nav.main": "Asosiy boʻlimlar",
    "control.period": "Yil",
    "control.pooled": "3 yil birga",
    "control.live": "Jonli raqamlar",
    "publication.official": "Rasmiy nashr №{number} · {date}",
    "publication.provisional": "Dastlabki nashr №{number} · {date}",
    "publication.none": "Bu yil uchun nashr hali yoʻq.",
    "publication.live": "Jonli raqamlar: faqat vazirlik uchun, nashr emas.",
    "control.language": "Til",
    "auth.title": "Kirish",
    "auth.prompt": "Baholarni koʻrish uchun kirish tokenini (Bearer JWT) joylashtiring.",
    "auth.hint": "Token faqat shu brauzer varagʻida saqlanadi (sessionStorage).",
    "auth.field": "Token",
    "auth.submit": "Kirish",
    "auth.rejected": "Token qabul qilinmadi yoki muddati tugagan.",
    "auth.public": "Ochiq maʼlumotlar",
    "auth.signed_in": "Token bilan",
    "auth.sign_in": "Token kiritish",
    "auth.sign_out": "Tokenni unutish",
    "auth.forbidden": "Bu maʼlumot sizning rolingiz uchun ochiq emas.",
    "status.loading": "Yuklanmoqda…",
    "status.error": "Maʼlumotlarni yuklab boʻlmadi: {detail}",
    "status.no_scores": "Bu davr uchun baholar hali yoʻq.",
    "status.not_found": "Topilmadi.",
    "figure.not_enough_data": "Maʼlumot yetarli emas",
    "figure.interval": "{level}% ishonch oraligʻi",
    "figure.no_interval": "oraliq yoʻq",
    "indicator.employer_satisfaction": "Ish beruvchilar qoniqishi",
    "indicator.preparedness": "Ishga tayyorgarlik",
    "indicator.would_hire_again": "Yana ishga olardi",
    "indicator.competency_mean": "Kompetensiyalar oʻrtacha bahosi (1–5)",
    "indicator.employed_12m": "Ishlaydi yoki oʻqishni davom ettiradi (maʼlum natijalardan)",
    "indicator.outcome_known": "Natijasi maʼlum bitiruvchilar",
    "indicator.graduate_level": "Oliy maʼlumot talab qiladigan ishda",
    "indicator.employed_in_field": "Mutaxassisligi boʻyicha ishlaydi (kasb boʻyicha)",
    "indicator.employer_marked_in_field": "Ish beruvchi fikricha mutaxassisligi boʻyicha",
    "indicator.coverage": "Baholash qamrovi",
    "indicator.index": "Sifat indeksi (0–100)",
    "scope.national": "Respublika",
    "scope.region": "Hudud",
    "scope.organization": "Taʼlim muassasasi",
    "scope.cluster": "Klaster",
    "scope.program": "Taʼlim dasturi",
    "units.region": "hududlar",
    "units.organization": "taʼlim muassasalari",
    "overview.title": "Oʻzbekiston: taʼlim sifati",
    "overview.show": "Diagrammada",
    "overview.regions": "Hududlar",
    "overview.institutions": "Taʼlim muassasalari",
    "scorecard.title": "Koʻrsatkichlar, {period}",
    "scorecard.pooled": "{first}–{period} (3 yil birga)",
    "scorecard.methodology": "Metodologiya v{version} · {level}% oraliqlar · n — kuzatuvlar soni",
    "funnel.title": "Ish beruvchilar qoniqishi va tanlama hajmi (voronka diagrammasi)",
    "funnel.explain":
      "Har bir nuqta — {units}dan biri, chiziqchalar — uning ishonch oraligʻi. Egri chiziqlar umumiy koʻrsatkich ({rate}) atrofidagi 95% va 99,8% nazorat chegaralari: ulardan tashqaridagi nuqtalar tasodif bilan izohlab boʻlmaydigan darajada farq qiladi.",
    "funnel.axis_x": "Baholashlar soni (n)",
    "funnel.axis_y": "Qoniqqanlar ulushi",
    "funnel.overall": "Umumiy koʻrsatkich",
    "funnel.limit95": "95% chegara",
    "funnel.limit998": "99,8% chegara",
    "funnel.no_units": "Diagramma uchun eʼlon qilingan koʻrsatkichlar yoʻq.",
    "position.above998": "99,8% chegaradan yuqori",
    "position.above95": "95% chegaradan yuqori",
    "position.within": "Chegaralar ichida",
    "position.below95": "95% chegaradan past",
    "position.below998": "99,8% chegaradan past",
    "table.name": "Nomi",
    "table.satisfaction": "Qoniqish (oraliq)",
    "table.n": "n",
    "table.rank": "Oʻrin*",
    "table.position": "Voronkadagi holati",
    "table.index": "Indeks",
    "table.rank_note":
      "* Oʻrin empirik Bayes bahosi boʻyicha: kichik tanlamalar umumiy koʻrsatkichga yaqinlashtiriladi. Maʼlumoti yetarli boʻlmaganlar oʻrin olmaydi.",
    "region.institutions": "Hudud taʼlim muassasalari",
    "region.clusters": "Hudud klasterlari",
    "region.no_clusters": "Bu hududda klasterlar yoʻq.",
    "cluster.members": "Aʼzolar",
    "cluster.role": "Roli",
    "cluster.joined": "Qoʻshilgan",
    "cluster.no_members": "Aʼzolar roʻyxati mavjud emas.",
    "role.coordinator": "Koordinator",
    "role.education": "Taʼlim muassasasi",
    "role.employer": "Ish beruvchi",
    "role.research": "Ilmiy tashkilot",
    "role.private_partner": "Xususiy hamkor",
    "comparison.title": "Aʼzolar va aʼzo boʻlmaganlar",
    "comparison.explain":
      "Ish beruvchilar qoniqishi: klaster aʼzolari va shu hududda shu yoʻnalishlarda oʻqitadigan, klasterga aʼzo boʻlmagan muassasalar. Farq Newcombe oraligʻi bilan.",
    "comparison.members": "Aʼzolar",
    "comparison.non_members": "Aʼzo boʻlmaganlar",
    "comparison.difference": "Farq (aʼzolar − aʼzo boʻlmaganlar)",
    "comparison.withheld": "Taqqoslash eʼlon qilinmaydi",
    "gaps.title": "Kompetensiya boʻshliqlari (muhimlik va natija)",
    "gaps.explain":
      "Muhimlik — ish beruvchilar talablaridagi oʻrtacha (1–5), natija — oʻrtacha baho (1–5). Kesishgan chiziqlar — oʻrtacha qiymatlar.",
    "gaps.axis_x": "Natija (oʻrtacha baho)",
    "gaps.axis_y": "Muhimlik",
    "gaps.competency": "Kompetensiya",
    "gaps.importance": "Muhimlik",
    "gaps.performance": "Natija",
    "gaps.gap": "Boʻshliq",
    "gaps.quadrant": "Kvadrant",
    "gaps.none": "Tahlil uchun yetarli maʼlumot yoʻq.",
    "gaps.not_analysed": "Tahlil qilinmagan kompetensiyalar: {count} (talab yoki eʼlon qilingan baho yoʻq).",
    "quadrant.concentrate_here": "Eʼtiborni shu yerga qarating",
    "quadrant.keep_up_the_good_work": "Yaxshi ishni davom ettiring",
    "quadrant.low_priority": "Past ustuvorlik",
    "quadrant.possible_overkill": "Ehtimol, ortiqcha",
    "institution.region": "Hudud",
    "institution.profile": "Kompetensiya profili (sohalar boʻyicha)",
    "institution.profile_explain": "Oʻrtacha baho (1–5) va ishonch oraligʻi.",
    "institution.trend": "Yillar boʻyicha dinamika",
    "institution.trend_explain": "Ulushlar ishonch oraliqlari bilan; indeks (0–100) — uzuq chiziq.",
    "institution.outcomes": "Bitiruvchilarning ishga joylashishi",
    "institution.outcomes_explain": "Har bir yil — bir yil oldin bitirganlar (kogorta), bitirgandan 12 oy oʻtib (30 iyun) holati; maʼlum natijalar ulushi yonida koʻrsatiladi.",
    "institution.benchmark": "Taqqoslash bazasi (benchmark)",
    "institution.benchmark_explain": "Ish beruvchilar qoniqishi, yoʻnalishlar va darajalar tarkibi bir xil boʻlganda mamlakat boʻyicha kutiladigan qiymat bilan solishtiriladi; farq kamida 2,5 punkt va ishonchli boʻlgandagina belgilanadi.",
    "benchmark.expected": "Tarkibi uchun kutilgan",
    "benchmark.difference": "Farq",
    "benchmark.materially_above": "Bazadan sezilarli yuqori",
    "benchmark.materially_below": "Bazadan sezilarli past",
    "benchmark.not_material": "Bazadan sezilarli farq yoʻq",
    "domain.foundation": "Bazaviy koʻnikmalar",
    "domain.adaptive": "Moslashuvchanlik",
    "domain.collaborative": "Hamkorlik",
    "domain.technical": "Kasbiy-texnik koʻnikmalar",
    "domain.employability": "Ishga yaroqlilik",
    "domain.digital": "Raqamli koʻnikmalar",
    "alerts.title": "Ogohlantirishlar",
    "alerts.kind": "Turi",
    "alerts.scope": "Obyekt",
    "alerts.period": "Yil",
    "alerts.detail": "Tafsilot",
    "alerts.raised": "Vaqti",
    "alerts.all": "Barcha turlar",
    "alerts.none": "Ogohlantirishlar yoʻq.",
    "alert.index_below_threshold": "Indeks chegaradan past",
    "alert.significant_drop": "Sezilarli pasayish",
    "alert.competency_gap": "Kompetensiya boʻshligʻi",
    "alert.detail.index": "Indeks {index} (chegara {threshold})",
    "alert.detail.drop": "Qoniqish {previous} → {current}",
    "alert.detail.gap": "{competency}: muhimlik {importance}, natija {performance}",
    "reason.fewer": "{what} soni {n} tadan kam",
    "reason.what.assessments": "baholashlar",
    "reason.what.graduates": "bitiruvchilar",
    "reason.what.ratings": "baholar",
    "reason.what.distinct_employers": "turli ish beruvchilar",
    "reason.what.distinct_graduates": "turli bitiruvchilar",
    "reason.secondary": "kichikroq guruhni himoya qilish uchun yashirilgan (ikkilamchi yashirish)",
    "reason.no_graduates": "bu doirada bitiruvchilar yoʻq",
    "reason.unpublished_components": "barcha vaznli koʻrsatkichlar eʼlon qilinmagan: {names}",
    "reason.not_enough_data": "maʼlumot yetarli emas",
    "footer.source": "Manba: EduCluster sifat xizmati (/api/v1/quality).",
  },
  ru: {
    "app.subtitle": "Панель качества образования",
    "nav.overview": "Обзор",
    "nav.alerts": "Оповещения",
    "nav.main": "Основные разделы",
    "control.period": "Год",
    "control.pooled": "3 года вместе",
    "control.live": "Текущие данные",
    "publication.official": "Официальная публикация №{number} · {date}",
    "publication.provisional": "Предварительная публикация №{number} · {date}",
    "publication.none": "За этот год публикаций ещё нет.",
    "publication.live": "Текущие данные: только для министерства, не публикация.",
    "control.language": "Язык",
    "auth.title": "Вход",
    "auth.prompt": "Вставьте токен доступа (Bearer JWT), чтобы увидеть оценки.",
    "auth.hint": "Токен хранится только в этой вкладке браузера (sessionStorage).",
    "auth.field": "Токен",
    "auth.submit": "Войти",
    "auth.rejected": "Токен отклонён или срок его действия истёк.",
    "auth.public": "Открытые данные",
    "auth.signed_in": "С токеном",
    "auth.sign_in": "Ввести токен",
    "auth.sign_out": "Забыть токен",
    "auth.forbidden": "Эти данные недоступны для вашей роли.",
    "status.loading": "Загрузка…",
    "status.error": "Не удалось загрузить данные: {detail}",
    "status.no_scores": "Оценок за этот период пока нет.",
    "status.not_found": "Не найдено.",
    "figure.not_enough_data": "Недостаточно данных",
    "figure.interval": "{level}% доверительный интервал",
    "figure.no_interval": "без интервала",
    "indicator.employer_satisfaction": "Удовлетворённость работодателей",
    "indicator.preparedness": "Подготовленность к работе",
    "indicator.would_hire_again": "Взяли бы на работу снова",
    "indicator.competency_mean": "Средняя оценка компетенций (1–5)",
    "indicator.employed_12m": "Работают или учатся (из известных исходов)",
    "indicator.outcome_known": "Исход известен",
    "indicator.graduate_level": "На должностях, требующих высшего образования",
    "indicator.employed_in_field": "Работают по специальности (по профессии)",
    "indicator.employer_marked_in_field": "По специальности, по словам работодателя",
    "indicator.coverage": "Охват оценками",
    "indicator.index": "Индекс качества (0–100)",
    "scope.national": "Республика",
    "scope.region": "Регион",
    "scope.organization": "Учебное заведение",
    "scope.cluster": "Кластер",
    "scope.program": "Образовательная программа",
    "units.region": "регионов",
    "units.organization": "учебных заведений",
    "overview.title": "Узбекистан: качество образования",
    "overview.show": "На графике",
    "overview.regions": "Регионы",
    "overview.institutions": "Учебные заведения",
    "scorecard.title": "Показатели, {period}",
    "scorecard.pooled": "{first}–{period} (3 года вместе)",
    "scorecard.methodology": "Методология v{version} · интервалы {level}% · n — число наблюдений",
    "funnel.title": "Удовлетворённость работодателей и размер выборки (воронкообразная диаграмма)",
    "funnel.explain":
      "Каждая точка — одно из {units}, отрезок — её доверительный интервал. Кривые — контрольные границы 95% и 99,8% вокруг общего уровня ({rate}): точки за ними отличаются сильнее, чем объясняется случайностью.",
    "funnel.axis_x": "Число оценок (n)",
    "funnel.axis_y": "Доля удовлетворённых",
    "funnel.overall": "Общий уровень",
    "funnel.limit95": "Граница 95%",
    "funnel.limit998": "Граница 99,8%",
    "funnel.no_units": "Нет опубликованных показателей для графика.",
    "position.above998": "Выше границы 99,8%",
    "position.above95": "Выше границы 95%",
    "position.within": "В пределах границ",
    "position.below95": "Ниже границы 95%",
    "position.below998": "Ниже границы 99,8%",
    "table.name": "Название",
    "table.satisfaction": "Удовлетворённость (интервал)",
    "table.n": "n",
    "table.rank": "Место*",
    "table.position": "Положение на воронке",
    "table.index": "Индекс",
    "table.rank_note":
      "* Место — по эмпирической байесовской оценке: малые выборки сдвинуты к общему уровню. Без достаточных данных место не присваивается.",
    "region.institutions": "Учебные заведения региона",
    "region.clusters": "Кластеры региона",
    "region.no_clusters": "В этом регионе нет кластеров.",
    "cluster.members": "Участники",
    "cluster.role": "Роль",
    "cluster.joined": "Вступил",
    "cluster.no_members": "Список участников недоступен.",
    "role.coordinator": "Координатор",
    "role.education": "Учебное заведение",
    "role.employer": "Работодатель",
    "role.research": "Научная организация",
    "role.private_partner": "Частный партнёр",
    "comparison.title": "Участники и неучастники",
    "comparison.explain":
      "Удовлетворённость работодателей: участники кластера против учебных заведений того же региона и тех же направлений, не входящих в кластер. Разница — с интервалом Ньюкомба.",
    "comparison.members": "Участники",
    "comparison.non_members": "Неучастники",
    "comparison.difference": "Разница (участники − неучастники)",
    "comparison.withheld": "Сравнение не публикуется",
    "gaps.title": "Разрывы компетенций (важность и результат)",
    "gaps.explain":
      "Важность — среднее из требований работодателей (1–5), результат — средняя оценка (1–5). Перекрестие — средние значения.",
    "gaps.axis_x": "Результат (средняя оценка)",
    "gaps.axis_y": "Важность",
    "gaps.competency": "Компетенция",
    "gaps.importance": "Важность",
    "gaps.performance": "Результат",
    "gaps.gap": "Разрыв",
    "gaps.quadrant": "Квадрант",
    "gaps.none": "Недостаточно данных для анализа.",
    "gaps.not_analysed": "Не проанализировано компетенций: {count} (нет требований или опубликованной оценки).",
    "quadrant.concentrate_here": "Сосредоточиться здесь",
    "quadrant.keep_up_the_good_work": "Так держать",
    "quadrant.low_priority": "Низкий приоритет",
    "quadrant.possible_overkill": "Возможно, избыточно",
    "institution.region": "Регион",
    "institution.profile": "Профиль компетенций по доменам",
    "institution.profile_explain": "Средняя оценка (1–5) и доверительный интервал.",
    "institution.trend": "Динамика по годам",
    "institution.trend_explain": "Доли с доверительными интервалами; индекс (0–100) — пунктир.",
    "institution.outcomes": "Трудоустройство выпускников",
    "institution.outcomes_explain": "Каждый год — выпускники предыдущего года (когорта), их положение через 12 месяцев после выпуска (30 июня); рядом — доля известных исходов.",
    "institution.benchmark": "Ориентир (бенчмарк)",
    "institution.benchmark_explain": "Удовлетворённость работодателей сравнивается с ожидаемой по стране при том же составе направлений и уровней; отметка ставится, только если разница не меньше 2,5 пункта и достоверна.",
    "benchmark.expected": "Ожидаемое для состава",
    "benchmark.difference": "Разница",
    "benchmark.materially_above": "Существенно выше ориентира",
    "benchmark.materially_below": "Существенно ниже ориентира",
    "benchmark.not_material": "Существенно не отличается от ориентира",
    "domain.foundation": "Базовые навыки",
    "domain.adaptive": "Адаптивность",
    "domain.collaborative": "Сотрудничество",
    "domain.technical": "Профессионально-технические навыки",
    "domain.employability": "Готовность к работе",
    "domain.digital": "Цифровые навыки",
    "alerts.title": "Оповещения",
    "alerts.kind": "Тип",
    "alerts.scope": "Объект",
    "alerts.period": "Год",
    "alerts.detail": "Подробности",
    "alerts.raised": "Время",
    "alerts.all": "Все типы",
    "alerts.none": "Оповещений нет.",
    "alert.index_below_threshold": "Индекс ниже порога",
    "alert.significant_drop": "Значимое снижение",
    "alert.competency_gap": "Разрыв компетенций",
    "alert.detail.index": "Индекс {index} (порог {threshold})",
    "alert.detail.drop": "Удовлетворённость {previous} → {current}",
    "alert.detail.gap": "{competency}: важность {importance}, результат {performance}",
    "reason.fewer": "меньше {n} {what}",
    "reason.what.assessments": "оценок",
    "reason.what.graduates": "выпускников",
    "reason.what.ratings": "баллов",
    "reason.what.distinct_employers": "разных работодателей",
    "reason.what.distinct_graduates": "разных выпускников",
    "reason.secondary": "скрыто для защиты меньшей группы (вторичное подавление)",
    "reason.no_graduates": "нет выпускников",
    "reason.unpublished_components": "опубликованы не все взвешенные показатели: {names}",
    "reason.not_enough_data": "недостаточно данных",
    "footer.source": "Источник: служба качества EduCluster (/api/v1/quality).",
  },
  en: {
    "app.subtitle": "Education quality dashboard",
    "nav.overview": "Overview",
    "nav.alerts": "Alerts",
    "nav.main": "Main sections",
    "control.period": "Year",
    "control.pooled": "3-year pool",
    "control.live": "Live figures",
    "publication.official": "Official release no. {number} · {date}",
    "publication.provisional": "Provisional publication no. {number} · {date}",
    "publication.none": "No publication for this year yet.",
    "publication.live": "Live figures: for the ministry only, not a publication.",
    "control.language": "Language",
    "auth.title": "Sign in",
    "auth.prompt": "Paste an access token (Bearer JWT) to see the scores.",
    "auth.hint": "The token is kept in this browser tab only (sessionStorage).",
    "auth.field": "Token",
    "auth.submit": "Sign in",
    "auth.rejected": "The token was refused or has expired.",
    "auth.public": "Public data",
    "auth.signed_in": "Signed in with a token",
    "auth.sign_in": "Enter a token",
    "auth.sign_out": "Forget the token",
    "auth.forbidden": "Your role may not see this.",
    "status.loading": "Loading…",
    "status.error": "Could not load the data: {detail}",
    "status.no_scores": "No scores for this period yet.",
    "status.not_found": "Not found.",
    "figure.not_enough_data": "Not enough data",
    "figure.interval": "{level}% interval",
    "figure.no_interval": "no interval",
    "indicator.employer_satisfaction": "Employer satisfaction",
    "indicator.preparedness": "Preparedness for work",
    "indicator.would_hire_again": "Would hire again",
    "indicator.competency_mean": "Mean competency rating (1–5)",
    "indicator.employed_12m": "Working or studying (of known outcomes)",
    "indicator.outcome_known": "Outcome known",
    "indicator.graduate_level": "In graduate-level work",
    "indicator.employed_in_field": "Working in their field (by occupation)",
    "indicator.employer_marked_in_field": "In field, as employers say",
    "indicator.coverage": "Assessment coverage",
    "indicator.index": "Quality index (0–100)",
    "scope.national": "National",
    "scope.region": "Region",
    "scope.organization": "Institution",
    "scope.cluster": "Cluster",
    "scope.program": "Program",
    "units.region": "regions",
    "units.organization": "institutions",
    "overview.title": "Uzbekistan: education quality",
    "overview.show": "Plotted",
    "overview.regions": "Regions",
    "overview.institutions": "Institutions",
    "scorecard.title": "Indicators, {period}",
    "scorecard.pooled": "{first}–{period} (3-year pool)",
    "scorecard.methodology": "Methodology v{version} · {level}% intervals · n = observations",
    "funnel.title": "Employer satisfaction against sample size (funnel plot)",
    "funnel.explain":
      "Each point is one of the {units}, its bar the interval. The curves are the 95% and 99.8% control limits around the overall rate ({rate}): points outside them differ by more than chance explains.",
    "funnel.axis_x": "Assessments (n)",
    "funnel.axis_y": "Share satisfied",
    "funnel.overall": "Overall rate",
    "funnel.limit95": "95% limit",
    "funnel.limit998": "99.8% limit",
    "funnel.no_units": "No published figures to plot.",
    "position.above998": "Above the 99.8% limit",
    "position.above95": "Above the 95% limit",
    "position.within": "Within the limits",
    "position.below95": "Below the 95% limit",
    "position.below998": "Below the 99.8% limit",
    "table.name": "Name",
    "table.satisfaction": "Satisfaction (interval)",
    "table.n": "n",
    "table.rank": "Rank*",
    "table.position": "Position in the funnel",
    "table.index": "Index",
    "table.rank_note":
      "* Ranked by the empirical-Bayes estimate: small samples are pulled toward the overall rate. Units without enough data are not ranked.",
    "region.institutions": "Institutions of the region",
    "region.clusters": "Clusters of the region",
    "region.no_clusters": "No clusters in this region.",
    "cluster.members": "Members",
    "cluster.role": "Role",
    "cluster.joined": "Joined",
    "cluster.no_members": "The member list is not available.",
    "role.coordinator": "Coordinator",
    "role.education": "Education institution",
    "role.employer": "Employer",
    "role.research": "Research institute",
    "role.private_partner": "Private partner",
    "comparison.title": "Members against non-members",
    "comparison.explain":
      "Employer satisfaction of the cluster's members against the non-member institutions of the same region teaching the same fields; the difference with its Newcombe interval.",
    "comparison.members": "Members",
    "comparison.non_members": "Non-members",
    "comparison.difference": "Difference (members − non-members)",
    "comparison.withheld": "Comparison withheld",
    "gaps.title": "Competency gaps (importance against performance)",
    "gaps.explain":
      "Importance: the mean stated in employers' requirements (1–5); performance: the mean rating (1–5). The cross-hairs are the means.",
    "gaps.axis_x": "Performance (mean rating)",
    "gaps.axis_y": "Importance",
    "gaps.competency": "Competency",
    "gaps.importance": "Importance",
    "gaps.performance": "Performance",
    "gaps.gap": "Gap",
    "gaps.quadrant": "Quadrant",
    "gaps.none": "Not enough data to analyse.",
    "gaps.not_analysed": "Competencies not analysed: {count} (no stated importance or no published rating).",
    "quadrant.concentrate_here": "Concentrate here",
    "quadrant.keep_up_the_good_work": "Keep up the good work",
    "quadrant.low_priority": "Low priority",
    "quadrant.possible_overkill": "Possible overkill",
    "institution.region": "Region",
    "institution.profile": "Competency profile by domain",
    "institution.profile_explain": "Mean rating (1–5) with its interval.",
    "institution.trend": "Trend over the years",
    "institution.trend_explain": "Shares with their intervals; the index (0–100) dashed.",
    "institution.outcomes": "Employment outcomes",
    "institution.outcomes_explain": "Each year shows the cohort that graduated the year before, as it was 12 months after graduating (30 June); the share of outcomes known is shown beside.",
    "institution.benchmark": "Benchmark",
    "institution.benchmark_explain": "Employer satisfaction against the national rate expected for the same mix of fields and levels; flagged only when the difference is at least 2.5 points and sure.",
    "benchmark.expected": "Expected for its mix",
    "benchmark.difference": "Difference",
    "benchmark.materially_above": "Materially above benchmark",
    "benchmark.materially_below": "Materially below benchmark",
    "benchmark.not_material": "Not materially different from benchmark",
    "domain.foundation": "Foundation skills",
    "domain.adaptive": "Adaptive skills",
    "domain.collaborative": "Collaborative skills",
    "domain.technical": "Technical skills",
    "domain.employability": "Employability skills",
    "domain.digital": "Digital skills",
    "alerts.title": "Alerts",
    "alerts.kind": "Kind",
    "alerts.scope": "Scope",
    "alerts.period": "Year",
    "alerts.detail": "Detail",
    "alerts.raised": "Raised",
    "alerts.all": "All kinds",
    "alerts.none": "No alerts.",
    "alert.index_below_threshold": "Index below threshold",
    "alert.significant_drop": "Significant drop",
    "alert.competency_gap": "Competency gap",
    "alert.detail.index": "Index {index} (threshold {threshold})",
    "alert.detail.drop": "Satisfaction {previous} → {current}",
    "alert.detail.gap": "{competency}: importance {importance}, performance {performance}",
    "reason.fewer": "fewer than {n} {what}",
    "reason.what.assessments": "assessments",
    "reason.what.graduates": "graduates",
    "reason.what.ratings": "ratings",
    "reason.what.distinct_employers": "distinct employers",
    "reason.what.distinct_graduates": "distinct graduates",
    "reason.secondary": "suppressed to protect a smaller group (secondary suppression)",
    "reason.no_graduates": "no graduates in scope",
    "reason.unpublished_components": "not every weighted indicator is published: {names}",
    "reason.not_enough_data": "not enough data",
    "footer.source": "Source: the EduCluster quality service (/api/v1/quality).",
  },
};

let current = initialLanguage();

function initialLanguage() {
  let stored = null;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the default language still works.
  }
  return LANGUAGES.includes(stored) ? stored : "uz";
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but switched.
  }
  document.documentElement.lang = lang;
}

export function locale() {
  return LOCALES[current];
}

/** The label `key` in the current language, with `{name}` placeholders filled in. */
export function t(key, params = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Fill every [data-i18n] element's text and [data-i18n-<attribute>] attribute under `root`. */
export function applyTranslations(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const attribute of ["placeholder", "title", "aria-label"]) {
    const data = "i18n" + attribute.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
    for (const node of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      node.setAttribute(attribute, t(node.dataset[data]));
    }
  }
}

const REASONS = [
  [/^fewer than (\d+) distinct (employers|graduates)$/, (m) =>
    t("reason.fewer", { n: m[1], what: t(`reason.what.distinct_${m[2]}`) })],
  [/^fewer than (\d+) (assessments|graduates|ratings)$/, (m) =>
    t("reason.fewer", { n: m[1], what: t(`reason.what.${m[2]}`) })],
  [/^suppressed to protect a smaller group/, () => t("reason.secondary")],
  [/^no graduates in scope$/, () => t("reason.no_graduates")],
  [/^not every weighted indicator is published: (.+)$/, (m) =>
    t("reason.unpublished_components", { names: m[1].split(", ").map((name) => t(`indicator.${name}`)).join(", ") })],
  [/^not enough data$/, () => t("reason.not_enough_data")],
];

/** A suppression reason of the quality API (English) in the current language. */
export function translateReason(reason) {
  if (!reason) return "";
  return reason
    .split("; ")
    .map((part) => {
      for (const [pattern, render] of REASONS) {
        const match = part.match(pattern);
        if (match) return render(match);
      }
      return part; // a reason this page does not know yet: shown as the API gives it
    })
    .join("; ");
}

export function formatPercent(value, digits = 0) {
  return new Intl.NumberFormat(locale(), {
    style: "percent",
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

export function formatNumber(value, digits = 0) {
  return new Intl.NumberFormat(locale(), {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

/** "2026-11-27 14:12" in the reader's time zone: the same unambiguous form in every language. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** A registry record's localized field (`name_uz`, `name_ru`, `name_en`), else `name`. */
export function localizedName(record) {
  if (!record) return "";
  return record[`name_${current}`] || record.name || "";
}

/** A framework label object ({uz, ru, en}) or plain string in the current language. */
export function pick(label) {
  if (label && typeof label === "object") return label[current] || label.en || "";
  return label || "";
}
