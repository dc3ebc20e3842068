"""The English translation of the demo pages (cms/demo_data.py), keyed by the French slugs.

Only the text is here: dates, amounts, tracks, themes and documents are the French call's.
English typography: no space before a colon, “curly” quotation marks.
"""

HOME = {
    # Not in any address (the English home is /en/); Wagtail's own suffix for a root's copy.
    "slug": "home-en",
    "title": "Home",
    "hero_title": "Calls for projects in digital health",
    "hero_text": "Submit your project, follow its review and discover the innovations funded by "
    "the France 2030 “Digital Health” acceleration strategy and the Ségur digital health "
    "programme (Ségur du numérique en santé).",
    "figures_heading": "The programme in figures",
    "key_figures": [
        ("over €700M", "for digital health (France 2030)"),
        ("€2bn", "for the Ségur digital health programme"),
        ("3 reviews", "ethics, security, interoperability"),
    ],
}

CALLS_INDEX = {
    "slug": "calls-for-projects",
    "title": "Calls for projects",
    "intro": "Calls for projects and calls for expressions of interest in digital health: open, "
    "upcoming and closed.",
}

CONTACT_NAME = "Programme team"
SPECIFICATION_TITLE = "Call specification (in French)"

ELIGIBILITY = """
<ul>
<li>Company registered in France (valid SIRET): a start-up, SME or mid-sized company, or a
consortium led by one of them.</li>
<li>Company not in difficulty within the meaning of the European Union rules.</li>
<li>Work not started before the application is submitted; expenses are eligible from the day after
the complete application is received.</li>
<li>No double public funding of the same expenses.</li>
<li>Signed “do no significant harm” (DNSH) declaration.</li>
<li>Complete application in the required format, with every section and every table filled in.</li>
</ul>
"""

# In the order of demo_data.STANDARD_CRITERIA (the weights are taken from there).
STANDARD_CRITERIA = [
    (
        "Innovative nature of the solution",
        "Technological, usage or organisational breakthrough compared with the state of the art.",
    ),
    (
        "Impact for patients and professionals",
        "Expected benefit, population concerned, measurement indicators.",
    ),
    (
        "Ethics, security and interoperability",
        "Compliance with the French digital health doctrine: ethics by design, PGSSI-S, HDS, "
        "GDPR, CI-SIS, INS, Pro Santé Connect.",
    ),
    (
        "Quality of the team and partnerships",
        "Skills, involvement of healthcare facilities and patient associations.",
    ),
    ("Feasibility, budget and timetable", "Realism of the work plan and costs."),
]

STANDARD_FAQ = [
    (
        "Can I submit several projects to the same call?",
        "<p>Yes, provided the projects are distinct. An organisation holds only one draft per "
        "call at a time.</p>",
    ),
    (
        "When do my expenses become eligible?",
        "<p>From the day after the complete application is received. Work must not have started "
        "before the application is submitted.</p>",
    ),
    (
        "What happens after a cut-off?",
        "<p>Applications submitted before the cut-off are processed together: admissibility, "
        "ethics, security and interoperability reviews, then the selection committee.</p>",
    ),
    (
        "Does my hosting provider need HDS certification?",
        "<p>Yes, as soon as the solution hosts personal health data. The hosting provider’s "
        "certificate is requested in the application.</p>",
    ),
]

# Keyed by the French call's slug; "cutoffs" are the labels, in the order of the French ones.
CALLS = {
    "tiers-lieux-experimentation": {
        "slug": "living-labs-experimentation",
        "title": "Living labs for digital health experimentation",
        "summary": "Supporting places where health professionals, patients and companies design "
        "and evaluate digital solutions together in real-life conditions.",
        "body": "Living labs give companies a supervised testing ground: access to users, "
        "evaluation protocols, ethical and regulatory support. The call funds their creation and "
        "their first campaigns.",
        "cutoffs": ["1st cut-off", "2nd cut-off", "Final cut-off"],
    },
    "dispositifs-medicaux-numeriques": {
        "slug": "digital-medical-devices",
        "title": "Digital medical devices: clinical and health-economic evaluation",
        "summary": "Funding the clinical and health-economic studies that open the way to "
        "reimbursement for digital medical devices.",
        "body": "A two-stage call: a four-page pre-proposal, then a full application for "
        "shortlisted projects, with the study protocol and the opinion of an ethics committee "
        "where the research requires one.",
        "cutoffs": [
            "Pre-proposals, round 1",
            "Pre-proposals, round 2",
            "Full applications, round 1",
            "Full applications, round 2",
        ],
    },
    "numerique-medico-social": {
        "slug": "digital-health-social-care",
        "title": "Digital health in social and medico-social care",
        "summary": "Equipping social and medico-social facilities and services with "
        "interoperable solutions to coordinate the care pathways of older and disabled people.",
        "body": "The funded solutions build on the core national services: the shared medical "
        "record (DMP) and Mon espace santé, MSSanté secure messaging, the national health "
        "identifier (INS) and Pro Santé Connect.",
        "cutoffs": ["1st cut-off", "Final cut-off"],
    },
    "ia-aide-au-diagnostic": {
        "slug": "ai-diagnostic-support",
        "title": "Artificial intelligence for diagnostic support",
        "summary": "Speeding up the clinical validation of artificial intelligence solutions "
        "that support diagnosis, under human oversight.",
        "body": "Projects demonstrate human oversight of the algorithms, the quality of the "
        "training data and how bias is measured.",
        "cutoffs": ["1st cut-off", "Final cut-off"],
    },
    "interoperabilite-segur": {
        "slug": "segur-interoperability",
        "title": "Interoperability and health data sharing (Ségur)",
        "summary": "Helping software vendors bring their products into line with the Ségur "
        "requirements: INS, DMP, MSSanté and the FHIR profiles of the CI-SIS.",
        "body": "The selected projects aim to have their software listed under the Ségur "
        "programme before the end of the current wave.",
        "cutoffs": ["1st cut-off", "Final cut-off"],
        "early_closure_reason": "Budget fully committed after the 1st cut-off.",
    },
}

CONTENT_PAGES = {
    "le-programme": {
        "slug": "programme",
        "title": "The programme",
        "intro": "The France 2030 “Digital Health” acceleration strategy commits over €700M to "
        "make France a leader in digital health.",
        "paragraphs": [
            "Run with the Agence du numérique en santé (the French digital health agency), the "
            "Délégation au numérique en santé, Bpifrance, the ANR and the Caisse des Dépôts, it "
            "supports research, training, test sites and the clinical evaluation of digital "
            "medical devices.",
            "Every application is reviewed against the French digital health doctrine: ethics, "
            "security and interoperability.",
        ],
    },
    "mentions-legales": {
        "slug": "legal-notice",
        "title": "Legal notice",
        "intro": "Ruche is free software for running calls for projects.",
        "paragraphs": ["This demonstration site collects no real data."],
    },
    "accessibilite": {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "intro": "Ruche is committed to making its service accessible in accordance with "
        "RGAA 4.1, the French accessibility standard.",
        "paragraphs": [
            "Compliance status: partially compliant. The public pages are checked automatically "
            "(axe-core) on every integration.",
        ],
    },
}


PERSONAL_DATA = {
    "slug": "personal-data",
    "title": "Personal data",
    "intro": "What Ruche does with your data, how long it keeps it and how to exercise your "
    "rights.",
    "controller": "<p>The French ministry of health (Délégation au numérique en santé), on "
    "behalf of the programme's operators who run the calls.</p>",
    "purposes": "<ul><li>Managing the accounts of applicants, experts and staff.</li>"
    "<li>Receiving, reviewing and assessing applications, deciding on funding.</li>"
    "<li>Following funded projects and publishing the winning projects.</li></ul>",
    "legal_basis": "<p>Public task (GDPR, art. 6.1.e): awarding France 2030 and Ségur "
    "digital health funding.</p>",
    "recipients": "<p>The staff of the operators who run the call, the experts who review it "
    "and the selection committee, each for the applications they handle.</p>",
    "retention": "<ul><li>Selected and funded applications: the length of the funding, then "
    "public archives.</li><li>Rejected, ineligible or withdrawn applications: anonymised and "
    "their files deleted after the period set by the operator (5 years by default, the common "
    "limitation period).</li><li>Drafts never submitted: deleted 3 years after their last "
    "change.</li><li>Closed account: name and address erased at once.</li></ul>",
    "rights": "<p>You may access your data, correct it, receive it in a machine-readable "
    "format, object to its processing or ask for its erasure, within the limits of the records "
    "the programme must keep. You may also complain to the CNIL.</p>",
    "dpo_contact": "<p>Data protection officer of the social affairs ministries: "
    '<a href="mailto:dpd@example.org">dpd@example.org</a>.</p>',
}
