"""The vocabulary the generator recognises: body sites, cancers, tests, treatments, symptoms.

The lexicon only says what kind of thing a phrase names and how to display it. Which
facts hold (where a cancer spreads, what a metastasis causes) always comes from the text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """A place in the body that cancer can start in or spread to."""

    key: str
    display: str  # with its article, as it reads inside a sentence: "the lungs"
    forms: tuple[str, ...]  # lower-case surface forms, longest first where they overlap
    adjectives: tuple[str, ...]  # words that stand before "metastases": "lung", "pulmonary"
    own_cancer: str = ""  # the cancer that starts here, a natural wrong name: "lung cancer"
    part_of: str = ""  # the larger site this one belongs to: the spine is part of the bones
    plural: bool = False
    # Lymph nodes take part in the regional spread of nearly every carcinoma, so calling
    # them "not a common site" for any cancer would teach something false.
    distractor: bool = True

    @property
    def metastases(self) -> str:
        """Return the usual name of metastases here, e.g. "lung metastases"."""
        return f"{self.adjectives[0]} metastases"


SITES: tuple[Site, ...] = (
    Site(
        "bones",
        "the bones",
        ("bones", "bone", "skeleton"),
        ("bone", "skeletal", "osseous"),
        "bone cancer",
        plural=True,
    ),
    Site(
        "lungs", "the lungs", ("lungs", "lung"), ("lung", "pulmonary"), "lung cancer", plural=True
    ),
    Site("liver", "the liver", ("liver",), ("liver", "hepatic"), "liver cancer"),
    Site("brain", "the brain", ("brain",), ("brain", "cerebral"), "brain cancer"),
    Site(
        "adrenal-glands",
        "the adrenal glands",
        ("adrenal glands", "adrenal gland", "adrenals"),
        ("adrenal",),
        "adrenal cancer",
        plural=True,
    ),
    Site(
        "lymph-nodes",
        "the lymph nodes",
        ("lymph nodes", "lymph node", "lymph glands", "lymph gland"),
        ("lymph node", "nodal"),
        "lymphoma",
        plural=True,
        distractor=False,
    ),
    Site(
        "peritoneum",
        "the peritoneum",
        ("peritoneum", "peritoneal lining", "abdominal lining", "lining of the abdomen"),
        ("peritoneal",),
        "peritoneal cancer",
    ),
    Site("pleura", "the pleura", ("pleura",), ("pleural",), part_of="lungs"),
    Site(
        "spine",
        "the spine",
        ("spinal column", "spine", "vertebrae", "vertebra", "backbone"),
        ("spinal", "vertebral"),
        part_of="bones",
    ),
    Site("bone-marrow", "the bone marrow", ("bone marrow",), ("bone marrow",), part_of="bones"),
    Site("skin", "the skin", ("skin",), ("skin", "cutaneous"), "skin cancer"),
    Site(
        "kidneys",
        "the kidneys",
        ("kidneys", "kidney"),
        ("kidney", "renal"),
        "kidney cancer",
        plural=True,
    ),
    Site("bladder", "the bladder", ("bladder",), ("bladder",), "bladder cancer"),
    Site("pancreas", "the pancreas", ("pancreas",), ("pancreatic",), "pancreatic cancer"),
    Site("stomach", "the stomach", ("stomach",), ("stomach", "gastric"), "stomach cancer"),
    Site("heart", "the heart", ("heart",), ("heart", "cardiac")),
    Site(
        "ovaries",
        "the ovaries",
        ("ovaries", "ovary"),
        ("ovarian",),
        "ovarian cancer",
        plural=True,
    ),
    Site("breast", "the breast", ("breasts", "breast"), ("breast",), "breast cancer"),
    Site("prostate", "the prostate", ("prostate",), ("prostate",), "prostate cancer"),
    Site("colon", "the colon", ("colon",), ("colon",), "colon cancer"),
    Site("thyroid", "the thyroid", ("thyroid gland", "thyroid"), ("thyroid",), "thyroid cancer"),
    Site("spleen", "the spleen", ("spleen",), ("splenic",)),
    Site(
        "esophagus",
        "the esophagus",
        ("esophagus", "oesophagus"),
        ("esophageal", "oesophageal"),
        "esophageal cancer",
    ),
)
SITE_BY_KEY = {site.key: site for site in SITES}


@dataclass(frozen=True)
class Cancer:
    """A named cancer; organ is the site key of the organ it starts in ("" if none)."""

    key: str
    names: tuple[str, ...]
    organ: str = ""


CANCERS: tuple[Cancer, ...] = (
    Cancer("breast cancer", ("breast cancer",), "breast"),
    Cancer("lung cancer", ("lung cancer",), "lungs"),
    Cancer("colon cancer", ("colon cancer",), "colon"),
    Cancer("colorectal cancer", ("colorectal cancer",), "colon"),
    Cancer("prostate cancer", ("prostate cancer",), "prostate"),
    Cancer(
        "kidney cancer",
        ("kidney cancer", "renal cancer", "renal cell carcinoma", "renal cell cancer"),
        "kidneys",
    ),
    Cancer("pancreatic cancer", ("pancreatic cancer", "cancer of the pancreas"), "pancreas"),
    Cancer("thyroid cancer", ("thyroid cancer",), "thyroid"),
    Cancer("bladder cancer", ("bladder cancer",), "bladder"),
    Cancer("ovarian cancer", ("ovarian cancer", "cancer of the ovary"), "ovaries"),
    Cancer("liver cancer", ("liver cancer",), "liver"),
    Cancer("stomach cancer", ("stomach cancer", "gastric cancer"), "stomach"),
    Cancer("esophageal cancer", ("esophageal cancer", "oesophageal cancer"), "esophagus"),
    Cancer("bone cancer", ("bone cancer",), "bones"),
    Cancer("brain cancer", ("brain cancer",), "brain"),
    Cancer("skin cancer", ("skin cancer",), "skin"),
    Cancer("melanoma", ("melanoma",), "skin"),
    Cancer("mesothelioma", ("mesothelioma",), "pleura"),
    Cancer("sarcoma", ("sarcoma",)),
    Cancer("lymphoma", ("lymphoma",), "lymph-nodes"),
)
CANCER_BY_KEY = {cancer.key: cancer for cancer in CANCERS}

# Words that can stand before "cancer" without naming a kind of cancer.
NOT_A_CANCER_KIND = frozenset(
    {
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "any",
        "every",
        "each",
        "most",
        "some",
        "other",
        "all",
        "which",
        "what",
        "whose",
        "their",
        "its",
        "his",
        "her",
        "our",
        "your",
        "my",
        "one",
        "metastatic",
        "metastasized",
        "metastasised",
        "secondary",
        "primary",
        "original",
        "initial",
        "new",
        "same",
        "first",
        "second",
        "generalised",
        "generalized",
        "advanced",
        "early",
        "late",
        "stage",
        "of",
        "to",
        "in",
        "from",
        "with",
        "and",
        "or",
        "no",
        "not",
        "many",
        "several",
        "certain",
        "against",
        "about",
        "fight",
        "treating",
        "treat",
        "has",
        "have",
        "is",
        "was",
        "are",
        "were",
        "preventable",
        "invasive",
        "common",
        "rare",
        "distant",
        "recurrent",
        "spreading",
        "4",
        "iv",
        "complex",
        "circulating",
        "aggressive",
        "solid",
        "different",
        "various",
        "curable",
        "treatable",
        "benign",
        "malignant",
        "untreated",
        "deadly",
        "childhood",
        "sometimes",
    }
)


@dataclass(frozen=True)
class Procedure:
    """A test or a treatment; kind groups the ones that do the same sort of job."""

    key: str
    display: str  # as a choice reads: "A CT scan"
    forms: tuple[str, ...]
    kind: str


TESTS: tuple[Procedure, ...] = (
    Procedure("biopsy", "A biopsy", ("biopsies", "biopsy"), "sampling"),
    Procedure(
        "bone-marrow-aspiration",
        "Bone marrow aspiration",
        ("bone marrow aspiration", "bone marrow aspirations"),
        "sampling",
    ),
    Procedure(
        "ct-scan",
        "A CT scan",
        ("ct scanning", "ct scans", "ct scan", "computed tomography", "cat scan"),
        "imaging",
    ),
    Procedure(
        "mri",
        "An MRI scan",
        ("magnetic resonance imaging", "mri scans", "mri scan", "mri"),
        "imaging",
    ),
    Procedure("pet-scan", "A PET scan", ("pet scanning", "pet scans", "pet scan"), "imaging"),
    Procedure("ultrasound", "An ultrasound scan", ("ultrasound scan", "ultrasound"), "imaging"),
    Procedure("x-ray", "An X-ray", ("x-rays", "x-ray", "x rays", "x ray"), "imaging"),
    Procedure("scintigraphy", "Scintigraphy", ("scintigraphy",), "imaging"),
    Procedure("bone-scan", "A bone scan", ("bone scans", "bone scan"), "imaging"),
    Procedure(
        "blood-tests",
        "Blood tests",
        ("blood or urine tests", "blood and urine tests", "blood tests", "blood test"),
        "lab",
    ),
    Procedure("urine-tests", "Urine tests", ("urine tests", "urine test"), "lab"),
    Procedure(
        "tumor-markers",
        "A search for tumor markers",
        ("tumor markers", "tumour markers", "tumor marker", "tumour marker"),
        "lab",
    ),
    Procedure(
        "imaging-tests",
        "Medical imaging",
        (
            "medical imaging techniques",
            "medical imaging methods",
            "medical imaging",
            "imaging techniques",
            "imaging tests",
            "imaging test",
        ),
        "imaging",
    ),
    Procedure(
        "clinical-examination",
        "A clinical examination",
        ("clinical examination", "physical examination", "physical exam"),
        "exam",
    ),
)

TREATMENTS: tuple[Procedure, ...] = (
    Procedure("chemotherapy", "Chemotherapy", ("chemotherapy", "chemo"), "drug"),
    Procedure(
        "hormone-therapy",
        "Hormone therapy",
        ("hormone therapies", "hormone therapy", "hormonal therapy"),
        "drug",
    ),
    Procedure(
        "targeted-therapy",
        "Targeted therapy",
        ("targeted therapies", "targeted therapy", "targeted drugs"),
        "drug",
    ),
    Procedure("immunotherapy", "Immunotherapy", ("immunotherapies", "immunotherapy"), "drug"),
    Procedure(
        "angiogenesis-inhibitors",
        "Angiogenesis inhibitors",
        ("angiogenesis inhibitors", "angiogenesis inhibitor"),
        "drug",
    ),
    Procedure("bisphosphonates", "Bisphosphonates", ("bisphosphonates",), "drug"),
    Procedure(
        "radioactive-iodine", "Radioactive iodine", ("radioactive iodine", "radioiodine"), "drug"
    ),
    Procedure(
        "radiotherapy",
        "Radiotherapy",
        ("stereotactic radiotherapy", "radiation therapy", "radiotherapy", "radiation"),
        "radiation",
    ),
    Procedure(
        "resection-surgery", "Resection surgery", ("resection surgery", "resection"), "surgery"
    ),
    Procedure("metastasectomy", "Metastasectomy", ("metastasectomy",), "surgery"),
    Procedure("surgery", "Surgery", ("surgical removal", "surgeries", "surgery"), "surgery"),
    Procedure("cementoplasty", "Cementoplasty", ("cementoplasty",), "procedure"),
    Procedure(
        "radiofrequency-ablation",
        "Radiofrequency ablation",
        ("radiofrequency ablation", "ablation"),
        "procedure",
    ),
    Procedure(
        "adjuvant-treatment",
        "Adjuvant treatment",
        ("adjuvant treatments", "adjuvant treatment", "adjuvant therapy"),
        "adjuvant",
    ),
    Procedure("pain-management", "Pain management", ("pain management",), "supportive"),
    Procedure("supportive-care", "Supportive care", ("supportive care",), "supportive"),
    Procedure("palliative-care", "Palliative care", ("palliative care",), "supportive"),
)
PROCEDURE_BY_KEY = {p.key: p for p in (*TESTS, *TREATMENTS)}

# Words that make a list element a symptom rather than some other noun phrase.
SYMPTOM_WORDS = frozenset(
    {
        "ache",
        "anaemia",
        "anemia",
        "appetite",
        "ascites",
        "balance",
        "bleeding",
        "bloating",
        "blood",
        "break",
        "breath",
        "breathing",
        "breathlessness",
        "calcium",
        "compression",
        "concentration",
        "confusion",
        "constipation",
        "cough",
        "coughing",
        "discomfort",
        "dizziness",
        "drowsiness",
        "dysfunction",
        "fatigue",
        "fever",
        "fluid",
        "fracture",
        "fractures",
        "headache",
        "headaches",
        "heaviness",
        "hemiplegia",
        "hypercalcaemia",
        "hypercalcemia",
        "incontinence",
        "itching",
        "itchy",
        "jaundice",
        "lump",
        "lumps",
        "memory",
        "mood",
        "nausea",
        "numbness",
        "pain",
        "paralysis",
        "seizure",
        "seizures",
        "sight",
        "speech",
        "sweats",
        "swelling",
        "swings",
        "tiredness",
        "vision",
        "vomiting",
        "weakness",
        "weight",
        "wheezing",
        "yellowing",
    }
)

# Modifiers that do not tell one symptom from another ("persistent cough" is a cough).
SYMPTOM_MODIFIERS = frozenset(
    {
        "persistent",
        "unintentional",
        "unexplained",
        "abnormal",
        "poor",
        "elevated",
        "raised",
        "high",
        "certain",
        "severe",
        "chronic",
        "general",
        "affected",
        "region",
        "area",
        "level",
        "loss",
        "sense",
        "difficulty",
        "difficulties",
        "problem",
        "problems",
        "function",
        "dysfunction",
        "reduced",
        "sudden",
        "new",
        "ongoing",
        "constant",
        "up",
        "symptom",
        "symptoms",
        "sign",
        "signs",
        "blood",
        "located",
    }
)
