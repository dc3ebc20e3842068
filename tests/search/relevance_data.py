"""A judged set for the catalogue's relevance: 64 fictional sheets written as real ones are
(titles, summaries, organisations, themes), and 44 French queries with the sheets a visitor
expects for each. Used by test_relevance.py (every backend) and benchmarks/relevance.py."""

from __future__ import annotations

# key: (title, summary, organisation, theme names)
SHEETS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "cardio-tls": (
        "Télésurveillance de l'insuffisance cardiaque après hospitalisation",
        "Balance et tensiomètre connectés, alertes graduées traitées par une infirmière de "
        "coordination pendant six mois après la sortie.",
        "Veille Cardio SAS",
        ("Télésurveillance médicale", "Cardiologie"),
    ),
    "diabete-enfant": (
        "Suivi connecté du diabète de type 1 chez l'enfant",
        "Les capteurs de glucose en continu des jeunes patients remontent vers l'équipe de "
        "diabétologie pédiatrique, qui adapte le traitement à distance.",
        "Kaz Santé SAS",
        ("Diabète", "Télésurveillance médicale", "Pédiatrie"),
    ),
    "pompe-insuline": (
        "Pompe à insuline en boucle fermée pour le diabète de type 1",
        "Un algorithme ajuste en continu le débit d'insuline à partir du capteur de glycémie ; "
        "l'étude compare le temps passé dans la cible.",
        "Boucle Médicale SAS",
        ("Diabète", "Dispositif médical numérique"),
    ),
    "insuline-education": (
        "Éducation thérapeutique à l'insulinothérapie",
        "Des modules vidéo et un carnet numérique aident les patients qui débutent l'insuline à "
        "adapter leurs doses.",
        "ETP Connect SARL",
        ("Diabète", "Éducation thérapeutique"),
    ),
    "ins-qualification": (
        "Qualification de l'INS dans les logiciels de laboratoire",
        "L'identité nationale de santé (INS) est récupérée auprès du téléservice et qualifiée "
        "à l'accueil du laboratoire de biologie médicale.",
        "BioIdent SAS",
        ("Interopérabilité", "Identitovigilance"),
    ),
    "ins-ehpad": (
        "INS et identité des résidents en EHPAD",
        "Les EHPAD d'un groupement référencent l'INS de chaque résident pour fiabiliser les "
        "échanges avec l'hôpital et la pharmacie.",
        "Groupement Âge et Liens",
        ("Médico-social", "Identitovigilance"),
    ),
    "identito-hopital": (
        "Identito-vigilance partagée entre les hôpitaux d'un GHT",
        "Une cellule d'identitovigilance commune rapproche les doublons et les collisions "
        "d'identité des patients entre huit établissements.",
        "GHT Loire Océan",
        ("Identitovigilance", "Interopérabilité"),
    ),
    "identito-photo": (
        "Photo du patient au bracelet : sécuriser l'identification au bloc opératoire",
        "Le dossier affiche la photographie prise à l'admission pour éviter les erreurs "
        "d'identité au bloc et en radiologie.",
        "SecurBloc SAS",
        ("Identitovigilance", "Sécurité des soins"),
    ),
    "teleexpertise-derm": (
        "Téléexpertise en dermatologie pour les médecins généralistes",
        "Le médecin traitant photographie la lésion et obtient l'avis d'un dermatologue en "
        "moins de 48 heures ; les mélanomes sont vus plus tôt.",
        "DermaLien SAS",
        ("Télémédecine", "Dermatologie"),
    ),
    "tele-expertise-plaies": (
        "Télé-expertise des plaies chroniques à domicile",
        "Les infirmiers libéraux transmettent les photos des ulcères et escarres à une équipe "
        "experte qui propose le pansement adapté.",
        "Cicatrice Connect",
        ("Télémédecine", "Soins infirmiers"),
    ),
    "teleconsult-rural": (
        "Téléconsultation assistée en pharmacie rurale",
        "Dans les communes sans médecin, le pharmacien accompagne le patient pendant une "
        "téléconsultation avec des objets connectés (otoscope, stéthoscope).",
        "Officine Plus SAS",
        ("Télémédecine", "Accès aux soins"),
    ),
    "teleconsult-psy": (
        "Téléconsultation de psychiatrie pour les étudiants",
        "Les services de santé universitaires orientent les étudiants en détresse vers des "
        "psychiatres en visioconférence, sans attente.",
        "Campus Santé Mentale",
        ("Santé mentale", "Télémédecine"),
    ),
    "depression-app": (
        "Application de thérapie cognitive de la dépression légère",
        "Un programme de huit semaines de thérapie cognitivo-comportementale, supervisé par "
        "un psychologue, pour les adultes en dépression légère.",
        "Mindway SAS",
        ("Santé mentale", "Thérapie numérique"),
    ),
    "suicide-prevention": (
        "Recontact des personnes après une tentative de suicide",
        "Une équipe de veille rappelle et écrit aux patients après leur passage aux urgences ; "
        "la plateforme organise les recontacts.",
        "VigilanS Numérique",
        ("Santé mentale", "Prévention"),
    ),
    "autisme-diagnostic": (
        "Repérage précoce des troubles du spectre de l'autisme",
        "Un questionnaire numérique pour les crèches et les médecins oriente plus tôt les "
        "enfants vers une plateforme de diagnostic.",
        "Petits Pas SAS",
        ("Pédiatrie", "Handicap"),
    ),
    "avc-thrombectomie": (
        "Régulation des AVC : image partagée entre urgences et neuroradiologie",
        "Le scanner réalisé à l'hôpital de proximité est lu à distance par le "
        "neuroradiologue qui décide d'un transfert pour thrombectomie.",
        "NeuroLink SAS",
        ("Urgences", "Imagerie médicale"),
    ),
    "avc-reeducation": (
        "Rééducation du membre supérieur après un AVC à domicile",
        "Des exercices ludiques avec capteurs de mouvement prolongent la rééducation "
        "prescrite par le kinésithérapeute.",
        "Rehab Games",
        ("Rééducation", "Dispositif médical numérique"),
    ),
    "nodules-ia": (
        "Détection par intelligence artificielle des nodules pulmonaires au scanner",
        "L'algorithme repère et mesure les nodules sur les scanners thoraciques ; le "
        "radiologue valide chaque proposition.",
        "Pneumovision SAS",
        ("Intelligence artificielle", "Imagerie médicale"),
    ),
    "mammographie-ia": (
        "Seconde lecture des mammographies de dépistage par IA",
        "Un modèle d'apprentissage profond signale les images suspectes dans le dépistage "
        "organisé du cancer du sein.",
        "Mammo IA",
        ("Intelligence artificielle", "Oncologie", "Imagerie médicale"),
    ),
    "retinopathie": (
        "Dépistage de la rétinopathie diabétique chez l'opticien",
        "Une rétinographie non mydriatique est interprétée par intelligence artificielle puis "
        "contrôlée par un ophtalmologiste.",
        "Rétina Check",
        ("Diabète", "Ophtalmologie", "Intelligence artificielle"),
    ),
    "oncologie-parcours": (
        "Coordination du parcours en oncologie entre ville et hôpital",
        "Une infirmière de coordination suit les patients sous chimiothérapie orale et partage "
        "les effets indésirables avec l'oncologue.",
        "OncoLien",
        ("Oncologie", "Coordination des soins"),
    ),
    "chimio-orale": (
        "Suivi des effets indésirables des chimiothérapies orales",
        "Le patient déclare ses symptômes chaque semaine ; les toxicités graves déclenchent un "
        "rappel par l'hôpital de jour.",
        "Toxi Suivi SAS",
        ("Oncologie", "Télésurveillance médicale"),
    ),
    "dmp-alimentation": (
        "Alimentation du DMP par les cabinets de radiologie",
        "Les comptes rendus et les images de radiologie sont versés au dossier médical "
        "partagé et visibles dans Mon espace santé.",
        "Radio DMP",
        ("Interopérabilité", "Imagerie médicale"),
    ),
    "mon-espace-sante": (
        "Mon espace santé pour les personnes âgées et leurs aidants",
        "Des médiateurs numériques accompagnent les personnes âgées pour activer et utiliser "
        "leur profil Mon espace santé.",
        "Inclusion Numérique Santé",
        ("Inclusion numérique", "Médico-social"),
    ),
    "fhir-laboratoire": (
        "Comptes rendus de biologie structurés au format FHIR",
        "Les résultats de laboratoire sont échangés en FHIR avec les codes LOINC, lisibles par "
        "les logiciels des médecins.",
        "Interop Lab SAS",
        ("Interopérabilité",),
    ),
    "messagerie-securisee": (
        "Messagerie sécurisée de santé entre l'hôpital et les libéraux",
        "Les lettres de liaison de sortie arrivent par MSSanté chez le médecin traitant et "
        "l'infirmier le jour même.",
        "MSS Connect",
        ("Interopérabilité", "Coordination des soins"),
    ),
    "e-prescription": (
        "Ordonnance numérique en pharmacie et chez l'infirmier",
        "La e-prescription remplace l'ordonnance papier : le pharmacien lit le QR code et la "
        "délivrance est remontée au prescripteur.",
        "Presc Numérique SAS",
        ("Interopérabilité", "Pharmacie"),
    ),
    "cyber-hopital": (
        "Cybersécurité des hôpitaux : détection des rançongiciels",
        "Une sonde analyse le trafic réseau des établissements de santé et alerte le RSSI en "
        "cas d'attaque par rançongiciel.",
        "CyberSoin SAS",
        ("Cybersécurité",),
    ),
    "cyber-formation": (
        "Formation des soignants à la cybersécurité par l'hameçonnage simulé",
        "Des campagnes d'hameçonnage simulées et de courts modules forment les personnels "
        "hospitaliers aux bons réflexes.",
        "Cyber Réflexe",
        ("Cybersécurité", "Formation"),
    ),
    "chutes-ehpad": (
        "Détection des chutes la nuit en EHPAD",
        "Des capteurs non filmants détectent les chutes des résidents et préviennent "
        "l'équipe de nuit.",
        "Veille Nuit SAS",
        ("Médico-social", "Prévention"),
    ),
    "domicile-personnes-agees": (
        "Maintien à domicile des personnes âgées fragiles",
        "Les aides à domicile signalent les fragilités repérées à chaque visite ; l'infirmière "
        "coordinatrice organise les interventions.",
        "Fragilité Zéro",
        ("Médico-social", "Coordination des soins"),
    ),
    "alzheimer-aidants": (
        "Soutien des aidants de malades d'Alzheimer",
        "Une plateforme de répit en ligne oriente les aidants vers les accueils de jour et "
        "propose des groupes de parole.",
        "Aidants Ensemble",
        ("Médico-social", "Maladies neurodégénératives"),
    ),
    "parkinson-capteur": (
        "Suivi des fluctuations motrices de la maladie de Parkinson",
        "Un bracelet mesure les tremblements et les blocages à domicile pour ajuster le "
        "traitement lors de la consultation.",
        "Tremor Track",
        ("Maladies neurodégénératives", "Dispositif médical numérique"),
    ),
    "apnee-sommeil": (
        "Télésuivi de l'apnée du sommeil sous pression positive continue",
        "L'observance de la PPC est suivie à distance et le prestataire rappelle les patients "
        "qui décrochent.",
        "Sommeil Suivi",
        ("Sommeil", "Télésurveillance médicale"),
    ),
    "insomnie-tcc": (
        "Thérapie numérique de l'insomnie chronique",
        "Un programme de thérapie cognitive et comportementale de l'insomnie, remboursé sur "
        "prescription, remplace les somnifères.",
        "Nuit Calme SAS",
        ("Sommeil", "Thérapie numérique"),
    ),
    "asthme-enfant": (
        "Inhalateur connecté pour l'asthme de l'enfant",
        "Le capteur fixé à l'inhalateur enregistre les prises et alerte les parents avant une "
        "crise d'asthme.",
        "Souffle Junior",
        ("Pneumologie", "Pédiatrie"),
    ),
    "bpco-rehabilitation": (
        "Réhabilitation respiratoire à domicile dans la BPCO",
        "Un programme de réentraînement à l'effort, suivi par un kinésithérapeute en "
        "visioconférence, pour les patients atteints de BPCO.",
        "Respir Domicile",
        ("Pneumologie", "Rééducation"),
    ),
    "dialyse": (
        "Dialyse péritonéale à domicile suivie à distance",
        "Les données du cycleur remontent vers le néphrologue ; l'insuffisance rénale est "
        "traitée à domicile plus longtemps.",
        "Néphro Connect",
        ("Néphrologie", "Télésurveillance médicale"),
    ),
    "grossesse-risque": (
        "Suivi des grossesses à risque par les sages-femmes",
        "Tension et glycémie des femmes enceintes sont suivies à domicile pour prévenir la "
        "prééclampsie et le diabète gestationnel.",
        "Maternité Connectée",
        ("Périnatalité", "Télésurveillance médicale"),
    ),
    "allaitement": (
        "Accompagnement de l'allaitement après la sortie de maternité",
        "Une consultante en lactation répond en visio aux jeunes parents pendant les premières "
        "semaines.",
        "Lait Lien",
        ("Périnatalité",),
    ),
    "vaccination-carnet": (
        "Carnet de vaccination électronique et rappels",
        "Les vaccins sont enregistrés par le professionnel et des rappels sont envoyés pour "
        "la rougeole, le tétanos ou la grippe.",
        "VacciRappel",
        ("Prévention", "Interopérabilité"),
    ),
    "tabac-sevrage": (
        "Sevrage tabagique accompagné par SMS et par un tabacologue",
        "Messages personnalisés, substituts nicotiniques prescrits à distance et suivi par un "
        "tabacologue pendant trois mois.",
        "Stop Clope SAS",
        ("Addictions", "Prévention"),
    ),
    "alcool-addiction": (
        "Réduction de la consommation d'alcool avec une application",
        "Une application de réduction des risques suit la consommation et met en lien avec un "
        "centre d'addictologie.",
        "Moins Boire",
        ("Addictions", "Santé mentale"),
    ),
    "douleur-chronique": (
        "Réalité virtuelle contre la douleur chronique",
        "Des séances de réalité virtuelle à domicile réduisent la douleur chronique "
        "lombaire et la consommation d'antalgiques.",
        "VR Antalgie",
        ("Douleur", "Thérapie numérique"),
    ),
    "palliatif": (
        "Coordination des soins palliatifs à domicile",
        "L'équipe mobile de soins palliatifs partage le plan de soins avec le médecin "
        "traitant, l'HAD et les aidants.",
        "Palli Liens",
        ("Soins palliatifs", "Coordination des soins"),
    ),
    "samu-regulation": (
        "Aide à la régulation médicale au SAMU par la visio",
        "L'appelant filme la situation avec son téléphone ; le médecin régulateur voit le "
        "patient avant d'engager les secours.",
        "Régul Vision",
        ("Urgences",),
    ),
    "urgences-attente": (
        "Temps d'attente aux urgences affiché en ligne",
        "Les patients consultent l'affluence des services d'urgences et sont orientés vers la "
        "maison médicale de garde.",
        "Urgence Flux",
        ("Urgences", "Accès aux soins"),
    ),
    "rendez-vous-specialiste": (
        "Prise de rendez-vous avec un spécialiste dans les déserts médicaux",
        "Une plateforme régionale réserve des créneaux de spécialistes pour les patients "
        "adressés par leur médecin traitant.",
        "Accès Spé",
        ("Accès aux soins",),
    ),
    "handicap-communication": (
        "Communication alternative pour les personnes polyhandicapées",
        "Une tablette à pictogrammes et à commande oculaire permet aux résidents de dire "
        "leur douleur et leurs choix.",
        "Parole Libre",
        ("Handicap", "Médico-social"),
    ),
    "audition": (
        "Dépistage auditif en ligne et appareillage",
        "Un test d'audition validé oriente vers l'ORL et l'audioprothésiste ; les aides "
        "auditives sont réglées à distance.",
        "Ouïe Santé",
        ("Audition", "Prévention"),
    ),
    "dentaire-ehpad": (
        "Télé-dentisterie en établissement pour personnes âgées",
        "Une caméra intrabuccale permet au chirurgien-dentiste de repérer les urgences "
        "bucco-dentaires des résidents.",
        "Sourire Senior",
        ("Médico-social", "Télémédecine"),
    ),
    "maladies-rares": (
        "Registre et orientation des patients atteints de maladies rares",
        "Les centres de référence partagent un registre et orientent plus vite les patients "
        "en errance diagnostique.",
        "Rare Réseau",
        ("Maladies rares",),
    ),
    "genomique": (
        "Analyse génomique pour le diagnostic des maladies rares de l'enfant",
        "Le séquençage du génome et une interprétation assistée par IA raccourcissent "
        "l'errance diagnostique.",
        "GenoKid",
        ("Maladies rares", "Intelligence artificielle", "Pédiatrie"),
    ),
    "obesite": (
        "Programme numérique de prise en charge de l'obésité de l'enfant",
        "Activité physique adaptée, nutrition et suivi par une diététicienne en ligne pour "
        "les enfants en surpoids.",
        "Bouge Kids",
        ("Nutrition", "Pédiatrie"),
    ),
    "nutrition-cancer": (
        "Dénutrition des patients atteints de cancer",
        "Le dépistage de la dénutrition et des conseils diététiques accompagnent les patients "
        "pendant les traitements du cancer.",
        "Nutri Onco",
        ("Nutrition", "Oncologie"),
    ),
    "hypertension": (
        "Automesure tensionnelle et hypertension artérielle",
        "Les mesures du tensiomètre connecté remontent au médecin traitant, qui ajuste le "
        "traitement de l'hypertension.",
        "Tension Juste",
        ("Cardiologie", "Télésurveillance médicale"),
    ),
    "fibrillation": (
        "Détection de la fibrillation atriale par montre connectée",
        "L'électrocardiogramme de la montre est relu par un cardiologue pour dépister la "
        "fibrillation atriale après un AVC.",
        "Rythme Watch",
        ("Cardiologie", "Dispositif médical numérique"),
    ),
    "pharmacie-conciliation": (
        "Conciliation médicamenteuse à l'entrée à l'hôpital",
        "Le pharmacien hospitalier récupère les traitements du patient en ville pour éviter "
        "les erreurs médicamenteuses.",
        "Concilia",
        ("Pharmacie", "Sécurité des soins"),
    ),
    "antibiotiques": (
        "Bon usage des antibiotiques en médecine de ville",
        "Une aide à la prescription propose l'antibiotique adapté et la durée la plus courte "
        "pour limiter les résistances.",
        "AntibioGuide",
        ("Pharmacie", "Prévention"),
    ),
    "infirmier-tournees": (
        "Organisation des tournées des infirmiers libéraux",
        "Un logiciel planifie les tournées et transmet les soins réalisés au médecin prescripteur.",
        "Tournée Facile",
        ("Soins infirmiers", "Coordination des soins"),
    ),
    "kine-teleradaptation": (
        "Télérééducation en kinésithérapie après une prothèse de genou",
        "Les exercices filmés sont corrigés à distance par le kinésithérapeute après la pose "
        "d'une prothèse totale de genou.",
        "Kiné à Distance",
        ("Rééducation", "Télémédecine"),
    ),
    "ophtalmo-amblyopie": (
        "Traitement de l'amblyopie de l'enfant par jeu vidéo",
        "Un jeu sur tablette avec lunettes dédiées rééduque l'œil paresseux sans cache oculaire.",
        "Œil Malin",
        ("Ophtalmologie", "Pédiatrie", "Thérapie numérique"),
    ),
    "endometriose": (
        "Parcours de soins de l'endométriose",
        "Un questionnaire en ligne et un réseau de gynécologues réduisent le délai de "
        "diagnostic de l'endométriose.",
        "Endo Parcours",
        ("Santé des femmes", "Coordination des soins"),
    ),
    "vih-prevention": (
        "Prévention du VIH : PrEP et dépistage à domicile",
        "Des autotests envoyés à domicile et une téléconsultation pour la prophylaxie "
        "pré-exposition (PrEP).",
        "Prév Santé Sexuelle",
        ("Prévention", "Santé sexuelle"),
    ),
}

# (query, keys of the sheets a visitor expects, most expected first)
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    ("INS", ("ins-qualification", "ins-ehpad")),
    ("identité nationale de santé", ("ins-qualification",)),
    ("insuline", ("pompe-insuline", "insuline-education")),
    ("identitovigilance", (
        "identito-hopital", "ins-qualification", "ins-ehpad", "identito-photo",
    )),
    ("identito-vigilance", (
        "identito-hopital", "ins-qualification", "ins-ehpad", "identito-photo",
    )),
    ("téléexpertise", ("teleexpertise-derm", "tele-expertise-plaies")),
    ("télé-expertise", ("teleexpertise-derm", "tele-expertise-plaies")),
    ("telesurveillance", (
        "cardio-tls", "diabete-enfant", "chimio-orale", "apnee-sommeil", "dialyse",
        "grossesse-risque", "hypertension",
    )),
    ("insuffisance cardiaque", ("cardio-tls",)),
    ("diabète enfant", ("diabete-enfant",)),
    ("diabete", ("diabete-enfant", "pompe-insuline", "insuline-education", "retinopathie")),
    ("téléconsultation", ("teleconsult-rural", "teleconsult-psy", "vih-prevention")),
    ("santé mentale", (
        "teleconsult-psy", "depression-app", "suicide-prevention", "alcool-addiction",
    )),
    ("dépression", ("depression-app",)),
    ("intelligence artificielle", (
        "nodules-ia", "mammographie-ia", "retinopathie", "genomique",
    )),
    ("IA imagerie", ("nodules-ia", "mammographie-ia")),
    ("cancer du sein", ("mammographie-ia",)),
    ("cancer", ("mammographie-ia", "nutrition-cancer", "oncologie-parcours", "chimio-orale")),
    ("chimiothérapie", ("chimio-orale", "oncologie-parcours")),
    ("AVC", ("avc-thrombectomie", "avc-reeducation", "fibrillation")),
    ("rééducation", ("avc-reeducation", "kine-teleradaptation", "bpco-rehabilitation")),
    ("kinésithérapeute", ("kine-teleradaptation", "bpco-rehabilitation", "avc-reeducation")),
    ("DMP", ("dmp-alimentation",)),
    ("dossier médical partagé", ("dmp-alimentation",)),
    ("Mon espace santé", ("mon-espace-sante", "dmp-alimentation")),
    ("FHIR", ("fhir-laboratoire",)),
    ("ordonnance numérique", ("e-prescription",)),
    ("cybersécurité", ("cyber-hopital", "cyber-formation")),
    ("rançongiciel", ("cyber-hopital",)),
    ("chutes EHPAD", ("chutes-ehpad",)),
    ("EHPAD", ("chutes-ehpad", "ins-ehpad", "dentaire-ehpad")),
    ("personnes âgées", ("domicile-personnes-agees", "mon-espace-sante", "dentaire-ehpad")),
    ("alzheimer", ("alzheimer-aidants",)),
    ("aidants", ("alzheimer-aidants", "mon-espace-sante", "palliatif")),
    ("apnée du sommeil", ("apnee-sommeil",)),
    ("insomnie", ("insomnie-tcc",)),
    ("asthme", ("asthme-enfant",)),
    ("dialyse", ("dialyse",)),
    ("grossesse", ("grossesse-risque",)),
    ("tabac", ("tabac-sevrage",)),
    ("addiction alcool", ("alcool-addiction",)),
    ("douleur chronique", ("douleur-chronique",)),
    ("soins palliatifs", ("palliatif",)),
    ("urgences", ("urgences-attente", "samu-regulation", "avc-thrombectomie")),
    ("maladies rares", ("maladies-rares", "genomique")),
    ("obésité", ("obesite",)),
    ("hypertension artérielle", ("hypertension",)),
    ("fibrillation atriale", ("fibrillation",)),
    ("antibiotiques", ("antibiotiques",)),
    ("plaies chroniques", ("tele-expertise-plaies",)),
    # typos, missing accents, plurals, elisions
    ("telesurveilance", ("cardio-tls", "diabete-enfant", "chimio-orale", "apnee-sommeil",
                         "dialyse", "grossesse-risque", "hypertension")),
    ("depresion", ("depression-app",)),
    ("alzeimer", ("alzheimer-aidants",)),
    ("cybersecurite hopitaux", ("cyber-hopital", "cyber-formation")),
    ("l'hôpital", ("identito-hopital", "messagerie-securisee", "oncologie-parcours",
                   "pharmacie-conciliation", "cyber-hopital")),
    ("endometriose", ("endometriose",)),
    ("vaccins", ("vaccination-carnet",)),
    ("infirmiers libéraux", ("infirmier-tournees", "tele-expertise-plaies")),
]  # fmt: skip
