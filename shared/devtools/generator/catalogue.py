"""What the generator knows about the country beyond the classifications: how common each field,
sector and occupation is, which fields lead to which sectors, and the words names are made of.

The classifications themselves (regions, ISCED-F, ISCED levels, ISIC sections, ISCO-08) come
from shared.contracts.reference; every code used here is one of theirs (tests check it).
"""

# Share of programs by ISCED-F broad field, at universities and at colleges and technikums.
HIGHER_FIELDS = {
    "01": 0.18,
    "02": 0.08,
    "03": 0.07,
    "04": 0.16,
    "05": 0.06,
    "06": 0.09,
    "07": 0.17,
    "08": 0.06,
    "09": 0.09,
    "10": 0.04,
}
VOCATIONAL_FIELDS = {
    "01": 0.03,
    "02": 0.06,
    "04": 0.10,
    "06": 0.10,
    "07": 0.35,
    "08": 0.12,
    "09": 0.10,
    "10": 0.14,
}

# Where graduates of a broad field work when they work in their field (ISIC sections).
FIELD_SECTORS = {
    "01": ("P",),
    "02": ("R", "M", "P"),
    "03": ("M", "J", "O"),
    "04": ("K", "G", "M", "N", "O"),
    "05": ("M", "C"),
    "06": ("J", "K"),
    "07": ("C", "F", "D", "B"),
    "08": ("A", "C"),
    "09": ("Q",),
    "10": ("I", "H", "N", "S"),
}

# Employers by ISIC section: the share of each among employers (sections left out: none).
SECTOR_SHARES = {
    "A": 0.10,
    "B": 0.01,
    "C": 0.14,
    "D": 0.02,
    "E": 0.01,
    "F": 0.09,
    "G": 0.17,
    "H": 0.06,
    "I": 0.05,
    "J": 0.04,
    "K": 0.04,
    "L": 0.01,
    "M": 0.04,
    "N": 0.03,
    "O": 0.04,
    "P": 0.06,
    "Q": 0.05,
    "R": 0.01,
    "S": 0.03,
}

# ISCO-08 unit groups of a job in the field: (higher education, vocational) by broad field.
FIELD_OCCUPATIONS = {
    "01": ("2341", "5312"),
    "02": ("2643", "3435"),
    "03": ("2631", "3314"),
    "04": ("2411", "3313"),
    "05": ("2131", "3111"),
    "06": ("2512", "3512"),
    "07": ("2144", "7233"),
    "08": ("2132", "6111"),
    "09": ("2221", "3221"),
    "10": ("1411", "5120"),
}
# ...and of the jobs graduates take outside their field.
OTHER_OCCUPATIONS = ("4110", "5223", "8322", "9329", "3343", "5131")

# Clusters gather around a theme: (name in Uzbek, broad fields taught, ISIC sections).
CLUSTER_THEMES = (
    ("axborot texnologiyalari", ("06",), ("J", "M")),
    ("agrosanoat", ("08",), ("A", "C")),
    ("toʻqimachilik", ("07",), ("C", "G")),
    ("qurilish", ("07",), ("F", "D")),
    ("turizm", ("10",), ("I", "H")),
    ("tibbiyot", ("09",), ("Q",)),
    ("taʼlim", ("01",), ("P",)),
    ("moliya", ("04",), ("K", "M")),
)

# The word an institution focused on a broad field carries in its name (None: many fields).
FOCUS_WORDS = {
    None: "davlat",
    "01": "pedagogika",
    "02": "sanʼat va madaniyat",
    "03": "jurnalistika",
    "04": "iqtisodiyot",
    "05": "tabiiy fanlar",
    "06": "axborot texnologiyalari",
    "07": "texnika",
    "08": "agrar",
    "09": "tibbiyot",
    "10": "servis",
}
PRIVATE_WORDS = {
    "association": "tadbirkorlar uyushmasi",
    "foundation": "taʼlim jamgʻarmasi",
    "company": "konsalting kompaniyasi",
}

GIVEN_NAMES = (
    ("Aziz", "Bekzod", "Doniyor", "Jasur", "Otabek", "Sardor", "Sherzod", "Temur", "Ulugʻbek"),
    ("Dilnoza", "Gulnora", "Kamola", "Madina", "Malika", "Nigora", "Sevara", "Shahnoza", "Zarina"),
)
SURNAMES = (
    "Abdullayev",
    "Alimov",
    "Ergashev",
    "Hasanov",
    "Ismoilov",
    "Karimov",
    "Mirzayev",
    "Nazarov",
    "Qodirov",
    "Rahimov",
    "Saidov",
    "Toshmatov",
    "Usmonov",
    "Yusupov",
)
