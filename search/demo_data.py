"""The demo catalogue: funded digital-health projects, all fictional (organisations, partners,
figures); websites under example.org. Loaded by search/demo.py."""

# The demo calls (cms/demo_data.py CALLS), by a short key.
CALLS = {
    "tiers-lieux": "tiers-lieux-experimentation",
    "dmn": "dispositifs-medicaux-numeriques",
    "medico-social": "numerique-medico-social",
    "ia": "ia-aide-au-diagnostic",
    "interop": "interoperabilite-segur",
}

IA = "Intelligence artificielle / aide au diagnostic"

# "facts": (organisation, region code, call key, year, amount granted in €, TRL, published on)
SHEETS = [
    {
        "slug": "cardioveille",
        "title": "Télésurveillance de l'insuffisance cardiaque après hospitalisation",
        "summary": "CardioVeille suit à domicile les patients insuffisants cardiaques pendant les "
        "six mois qui suivent une hospitalisation. Poids, tension et symptômes déclarés "
        "alimentent des alertes graduées, traitées par une infirmière de coordination.",
        "description": "Le patient reçoit une balance et un tensiomètre connectés et répond "
        "chaque semaine à un court questionnaire. Un algorithme de tri, validé avec les "
        "cardiologues, hiérarchise les alertes ; l'infirmière rappelle le patient et ajuste le "
        "traitement selon un protocole de coopération.\n\nL'aide finance l'étude "
        "médico-économique multicentrique (600 patients, 8 établissements) qui prépare la prise "
        "en charge de droit commun. Les données sont hébergées chez un hébergeur certifié HDS.",
        "facts": ("Veille Cardio SAS", "32", "dmn", 2023, 1_450_000, 7, "2024-02-12"),
        "themes": ["Télésurveillance médicale", "Cardiologie", "Dispositif médical numérique"],
        "partners": ["Centre hospitalier de l'Avesnois-Sud", "Association Cœur et Vie"],
        "website": "https://cardioveille.example.org",
    },
    {
        "slug": "glycokaz",
        "title": "Suivi connecté du diabète de type 1 chez les jeunes patients ultramarins",
        "summary": "GlycoKaz relie les capteurs de glucose en continu des enfants et adolescents "
        "diabétiques à l'équipe de diabétologie pédiatrique. Une partie des consultations se "
        "fait à distance, ce qui évite de longs déplacements aux familles.",
        "description": "Les données des capteurs et des stylos connectés remontent dans un "
        "tableau de bord partagé par le diabétologue, l'infirmière d'éducation thérapeutique et "
        "le médecin traitant. Des seuils personnalisés déclenchent des messages aux parents, en "
        "français ou en créole.\n\nLe projet mesure sur deux ans l'effet de la télésurveillance "
        "sur l'hémoglobine glyquée et les hospitalisations pour acidocétose.",
        "facts": ("Kaz Santé SAS", "04", "dmn", 2024, 1_100_000, 6, "2025-01-20"),
        "themes": ["Diabète", "Télésurveillance médicale", "Pédiatrie"],
        "partners": ["Centre hospitalier des Trois-Bassins", "Association Diab'Jeunes Océan"],
        "website": "https://glycokaz.example.org",
    },
    {
        "slug": "pneumovision",
        "title": "Détection assistée par IA des nodules pulmonaires au scanner",
        "summary": "Pneumovision repère et mesure les nodules pulmonaires sur les scanners "
        "thoraciques et suit leur évolution d'un examen à l'autre. Le radiologue valide ou "
        "rejette chaque proposition de l'algorithme dans son logiciel de lecture.",
        "description": "Le modèle a été entraîné sur plus de 40 000 scanners issus de six "
        "centres ; ses performances sont mesurées par âge, sexe et constructeur pour détecter "
        "les biais. Les images ne quittent pas l'établissement.\n\nL'aide finance l'étude de "
        "validation clinique prospective et le dossier de marquage CE de classe IIa, en vue du "
        "dépistage du cancer du poumon chez les fumeurs.",
        "facts": ("Pneumovision SAS", "84", "ia", 2026, 950_000, 6, "2026-07-08"),
        "themes": [IA, "Imagerie", "Oncologie"],
        "partners": ["Hospices du Val de Saône", "Cabinet de radiologie des Monts du Forez"],
        "website": "https://pneumovision.example.org",
    },
    {
        "slug": "senologic",
        "title": "Second lecteur algorithmique pour le dépistage du cancer du sein",
        "summary": "Sénologic ajoute une lecture par intelligence artificielle à la double "
        "lecture des mammographies de dépistage. Les clichés suspects sont signalés avec une "
        "carte expliquant la décision, et le radiologue garde le dernier mot.",
        "description": "L'étude compare la lecture humaine seule et la lecture assistée sur "
        "120 000 mammographies, d'abord relues rétrospectivement puis en conditions réelles dans "
        "trois centres de dépistage. Des représentantes de patientes siègent au comité "
        "d'éthique du projet.\n\nChaque décision est journalisée et les femmes dépistées sont "
        "informées de l'usage de l'algorithme.",
        "facts": ("Sénologic SAS", "76", "ia", 2026, 780_000, 7, "2026-09-15"),
        "themes": [IA, "Imagerie", "Oncologie"],
        "partners": ["Institut de cancérologie Garonne-Pyrénées", "Association Rose d'Oc"],
        "website": "https://senologic.example.org",
    },
    {
        "slug": "esprit-libre",
        "title": "Thérapie numérique guidée contre les troubles anxieux des étudiants",
        "summary": "Esprit Libre propose un programme de thérapie cognitive et comportementale "
        "de huit semaines sur smartphone, encadré par des psychologues. Les étudiants y accèdent "
        "par leur service de santé universitaire, sans avance de frais.",
        "description": "Les modules combinent psychoéducation, exercices d'exposition et suivi "
        "de l'humeur ; un psychologue échange chaque semaine avec l'étudiant par messagerie "
        "sécurisée. Les situations de détresse sont orientées vers une consultation dans la "
        "journée.\n\nUn essai randomisé auprès de 900 étudiants mesure l'évolution des "
        "symptômes anxieux à trois et six mois.",
        "facts": ("Esprit Libre Numérique SAS", "44", "dmn", 2022, 410_000, 6, "2022-11-03"),
        "themes": ["Santé mentale", "Dispositif médical numérique", "Prévention et santé publique"],
        "partners": ["Centre psychothérapique des Vosges du Nord"],
        "website": "https://espritlibre.example.org",
    },
    {
        "slug": "plan-de-securite-partage",
        "title": "Plan de sécurité partagé à la sortie des urgences psychiatriques",
        "summary": "Après une tentative de suicide, le patient rédige avec un infirmier un plan "
        "de sécurité qu'il garde sur son téléphone. Une équipe de recontact l'appelle dans les "
        "jours qui suivent sa sortie.",
        "description": "Le plan recense les signes d'alerte, les stratégies d'apaisement, les "
        "personnes à contacter et le numéro national de prévention du suicide, le 3114. Le "
        "patient choisit qui, parmi ses proches et son médecin traitant, peut le consulter."
        "\n\nDes patients partenaires ont conçu l'outil avec l'équipe, dans le tiers-lieu "
        "d'expérimentation de l'établissement.",
        "facts": (
            "Centre hospitalier spécialisé des Hauts-Vallons",
            "53",
            "tiers-lieux",
            2024,
            230_000,
            5,
            "2024-10-07",
        ),
        "themes": ["Santé mentale", "Coordination des soins", "Prévention et santé publique"],
        "partners": ["Maison des usagers en santé mentale de Haute-Bretagne"],
        "website": "",
    },
    {
        "slug": "oncoparcours",
        "title": "E-parcours des chimiothérapies orales entre l'hôpital et la ville",
        "summary": "OncoParcours coordonne le suivi des patients traités par chimiothérapie orale "
        "à domicile. Oncologue, pharmacien d'officine, infirmière libérale et patient partagent "
        "un même plan de soins, et les effets indésirables sont repérés plus tôt.",
        "description": "Le patient déclare ses symptômes chaque semaine ; le grade de toxicité "
        "calculé déclenche l'appel d'une infirmière de coordination. Les comptes rendus "
        "circulent par messagerie sécurisée de santé (MSSanté) et sont versés au DMP.\n\nDéjà "
        "utilisé par trois centres, le service s'étend aux établissements autorisés en "
        "cancérologie de la région.",
        "facts": ("OncoParcours SAS", "52", "tiers-lieux", 2023, 540_000, 7, "2023-09-19"),
        "themes": ["Parcours de soins / e-parcours", "Oncologie", "Coordination des soins"],
        "partners": ["Réseau de cancérologie Loire-Océan", "Officines du réseau Pharm'Ouest"],
        "website": "https://oncoparcours.example.org",
    },
    {
        "slug": "reeduc-lien",
        "title": "Rééducation à domicile après un accident vasculaire cérébral",
        "summary": "Rééduc'Lien prolonge à domicile la rééducation commencée en soins médicaux et "
        "de réadaptation. Les exercices, suivis par capteurs de mouvement, sont ajustés à "
        "distance par le kinésithérapeute.",
        "description": "La plateforme associe une tablette, deux capteurs inertiels et des "
        "séances de télésoin, coordonnées avec l'équipe hospitalière dans un e-parcours "
        "partagé. Les aidants signalent les difficultés du quotidien dans un espace dédié.\n\n"
        "L'aide couvre l'évaluation en vie réelle et le déploiement dans quinze établissements.",
        "facts": ("Rééduc'Lien SAS", "75", "tiers-lieux", 2025, 1_200_000, 6, "2025-06-23"),
        "themes": ["Parcours de soins / e-parcours", "Soins à domicile", "Handicap"],
        "partners": ["Centre de rééducation des Landes océanes", "Kinés libéraux du Médoc"],
        "website": "https://reeduclien.example.org",
    },
    {
        "slug": "bouclier-sante",
        "title": "Centre de détection des cyberattaques mutualisé pour les hôpitaux de proximité",
        "summary": "Bouclier Santé surveille jour et nuit les systèmes d'information de douze "
        "hôpitaux de proximité sans équipe de sécurité propre. Les incidents sont qualifiés et "
        "les établissements reçoivent des consignes de réaction immédiates.",
        "description": "Des sondes installées dans chaque établissement remontent les journaux "
        "vers un centre opérationnel de sécurité hébergé en France, conformément à la PGSSI-S. "
        "Des exercices de crise annuels préparent directions et soignants au fonctionnement en "
        "mode dégradé.\n\nLes règles de détection sont publiées pour les autres territoires.",
        "facts": ("Bouclier Santé SAS", "24", "interop", 2026, 690_000, 8, "2026-06-30"),
        "themes": ["Cybersécurité"],
        "partners": ["GHT Loire-Sologne", "Centre de ressources cyber santé Val de Loire"],
        "website": "https://bouclier-sante.example.org",
    },
    {
        "slug": "rempart-ehpad",
        "title": "Sauvegardes protégées et plan de reprise d'activité pour les EHPAD",
        "summary": "Rempart Numérique fournit aux EHPAD une sauvegarde hors ligne de leurs "
        "dossiers de soins et un plan de reprise testé. En cas de rançongiciel, les plans de "
        "soins des résidents restent consultables.",
        "description": "Les sauvegardes sont immuables, chiffrées et confiées à un hébergeur "
        "certifié HDS ; une restauration est testée chaque trimestre avec l'établissement. Les "
        "équipes sont formées à reconnaître l'hameçonnage.\n\nQuarante établissements publics "
        "et associatifs en bénéficient, avec un kit de sensibilisation réutilisable.",
        "facts": ("Rempart Numérique SARL", "27", "medico-social", 2025, 180_000, 8, "2025-11-04"),
        "themes": ["Cybersécurité", "Médico-social et grand âge"],
        "partners": ["Fédération des maisons de retraite publiques de Saône-et-Doubs"],
        "website": "https://rempart.example.org",
    },
    {
        "slug": "interlab-connect",
        "title": "Passerelle FHIR pour verser les résultats de biologie au DMP",
        "summary": "Interlab Connect convertit les comptes rendus des laboratoires de biologie "
        "médicale au format du CI-SIS et les verse au dossier médical partagé. Les patients "
        "retrouvent leurs résultats dans Mon espace santé.",
        "description": "La passerelle s'intercale entre le système du laboratoire et les "
        "services socles : conversion HPRIM vers FHIR, codage LOINC des examens, contrôle de "
        "l'identité nationale de santé (INS) avant tout envoi. Les échecs sont tracés et "
        "rejoués automatiquement.\n\nL'aide accompagne le référencement Ségur et le "
        "déploiement dans 150 sites de prélèvement.",
        "facts": ("Interlab Connect SAS", "11", "interop", 2026, 560_000, 8, "2026-05-26"),
        "themes": ["Interopérabilité", "Données de santé et recherche"],
        "partners": ["Groupement de laboratoires BioSeine"],
        "website": "https://interlab.example.org",
    },
    {
        "slug": "identiq-urgences",
        "title": "Identité nationale de santé qualifiée dès l'accueil des urgences",
        "summary": "IdentiQ aide les agents d'accueil des urgences à qualifier l'identité "
        "nationale de santé (INS) du patient dès son arrivée. Les erreurs d'identification et "
        "les doublons de dossiers diminuent.",
        "description": "Le module lit la carte Vitale, interroge le téléservice INSi et guide le "
        "contrôle de la pièce d'identité selon le référentiel national d'identitovigilance. Il "
        "s'intègre aux logiciels d'urgences par une interface FHIR.\n\nTrois services "
        "d'urgences mesurent le taux d'identités qualifiées avant et après le déploiement.",
        "facts": ("IdentiQ Santé SAS", "28", "interop", 2026, 320_000, 9, "2026-04-21"),
        "themes": ["Interopérabilité", "Coordination des soins"],
        "partners": ["Centre hospitalier du Pays d'Auge-Nord"],
        "website": "https://identiq.example.org",
    },
    {
        "slug": "liens-d-age",
        "title": "Cahier de liaison numérique entre aidants et services à domicile",
        "summary": "Liens d'Âge remplace le cahier papier laissé au domicile des personnes âgées "
        "par un carnet de liaison partagé. Aides à domicile, infirmiers, médecin traitant et "
        "proches y notent visites, observations et alertes.",
        "description": "L'application fonctionne hors connexion dans les domiciles mal couverts "
        "et se synchronise ensuite. Les messages aux professionnels passent par MSSanté.\n\n"
        "Portée par une coopérative d'intérêt collectif, la solution équipe vingt services "
        "d'aide et de soins à domicile.",
        "facts": ("Liens d'Âge SCIC", "02", "medico-social", 2024, 150_000, 7, "2024-12-02"),
        "themes": ["Médico-social et grand âge", "Soins à domicile", "Coordination des soins"],
        "partners": ["Union des services à domicile du Nord-Caraïbe"],
        "website": "https://liensdage.example.org",
    },
    {
        "slug": "parole-ouverte",
        "title": "Communication alternative sur tablette pour les personnes polyhandicapées",
        "summary": "Parole Ouverte est une application de communication par pictogrammes et "
        "synthèse vocale, conçue avec des personnes polyhandicapées et leurs accompagnants. "
        "Elle s'adapte à chacun : commande oculaire, contacteur ou toucher.",
        "description": "L'orthophoniste personnalise les tableaux de communication, partagés "
        "entre l'établissement, la famille et l'hôpital en cas d'hospitalisation. Une échelle "
        "d'évaluation de la douleur adaptée est intégrée.\n\nDix maisons d'accueil spécialisées "
        "sont équipées ; les pictogrammes sont publiés sous licence libre.",
        "facts": ("Parole Ouverte SAS", "93", "medico-social", 2023, 95_000, 8, "2023-07-11"),
        "themes": ["Handicap", "Médico-social et grand âge"],
        "partners": ["Maison d'accueil spécialisée Les Oliviers", "Association Voix pour tous"],
        "website": "https://paroleouverte.example.org",
    },
    {
        "slug": "pediaderm",
        "title": "Téléexpertise en dermatologie pédiatrique pour les territoires isolés",
        "summary": "Pédiaderm permet aux médecins des centres de santé isolés de solliciter "
        "l'avis d'un dermatologue pédiatrique à partir de photographies. La réponse arrive en "
        "moins de 48 heures, avec une conduite à tenir.",
        "description": "Les photographies sont prises avec un smartphone sécurisé, sans "
        "stockage sur l'appareil, et accompagnées d'un formulaire structuré. L'outil a été "
        "conçu pour des connexions satellitaires lentes.\n\nLe projet vise à réduire les "
        "évacuations sanitaires évitables depuis les communes des fleuves.",
        "facts": ("Pédiaderm SAS", "03", "tiers-lieux", 2022, 280_000, 7, "2023-01-16"),
        "themes": ["Téléconsultation et téléexpertise", "Pédiatrie"],
        "partners": ["Réseau de santé des fleuves de Guyane"],
        "website": "https://pediaderm.example.org",
    },
    {
        "slug": "pharmadistance",
        "title": "Téléconsultation accompagnée en pharmacie dans les villages de montagne",
        "summary": "Pharmadistance installe des postes de téléconsultation dans des pharmacies "
        "de villages éloignés de tout cabinet médical. Le pharmacien accompagne le patient et "
        "manie stéthoscope, otoscope et tensiomètre connectés.",
        "description": "Des médecins de l'île assurent les consultations à tour de rôle et "
        "connaissent les filières locales ; le compte rendu part au médecin traitant et "
        "l'ordonnance est électronique.\n\nAprès douze officines pilotes, l'aide finance "
        "l'extension aux vallées de l'intérieur et son évaluation.",
        "facts": ("Pharmadistance SAS", "94", "tiers-lieux", 2021, 350_000, 8, "2021-10-05"),
        "themes": ["Téléconsultation et téléexpertise", "Pharmacie et médicament"],
        "partners": ["Collectif des officines rurales de Haute-Corse", "CPTS du Centre-Corse"],
        "website": "https://pharmadistance.example.org",
    },
    {
        "slug": "mediconcil",
        "title": "Conciliation médicamenteuse automatisée à la sortie d'hospitalisation",
        "summary": "Médiconcil compare les traitements d'entrée, d'hospitalisation et de sortie "
        "du patient et signale les divergences au pharmacien hospitalier. Le bilan validé part "
        "au pharmacien d'officine et au médecin traitant.",
        "description": "Le logiciel récupère l'historique de délivrance dans le DMP et lit les "
        "prescriptions hospitalières par les profils FHIR du CI-SIS. Les patients âgés "
        "polymédiqués sont priorisés par un score de risque.\n\nDix établissements mesurent "
        "l'effet sur les réhospitalisations à trente jours.",
        "facts": ("Médiconcil SAS", "11", "tiers-lieux", 2025, 470_000, 6, "2025-09-09"),
        "themes": ["Pharmacie et médicament", "Parcours de soins / e-parcours"],
        "partners": ["Hôpital des Bords-de-Marne", "Pharmaciens d'officine de l'Est parisien"],
        "website": "https://mediconcil.example.org",
    },
    {
        "slug": "orthobotix",
        "title": "Robot d'assistance à la chirurgie orthopédique guidé par l'image",
        "summary": "Orthobotix développe un bras robotisé compact qui guide le chirurgien lors de "
        "la pose de prothèses de genou. Le plan opératoire, établi sur scanner, est recalé en "
        "temps réel pendant l'intervention.",
        "description": "Le robot ne remplace pas le chirurgien : il limite la coupe au volume "
        "planifié et s'arrête en cas d'écart. Son logiciel est cloisonné du réseau hospitalier "
        "et mis à jour par paquets signés.\n\nL'aide finance la fin du développement, les "
        "essais précliniques et la première étude clinique de faisabilité.",
        "facts": ("Orthobotix SAS", "84", "dmn", 2021, 2_000_000, 5, "2021-12-14"),
        "themes": ["Robotique et chirurgie", "Imagerie"],
        "partners": ["Laboratoire Biomeca-Alpes", "Clinique chirurgicale du Vercors"],
        "website": "https://orthobotix.example.org",
    },
    {
        "slug": "simulact",
        "title": "Réalité virtuelle pour la formation aux gestes d'urgence",
        "summary": "Simulact forme les soignants aux urgences vitales par des scénarios en "
        "réalité virtuelle : arrêt cardiaque, choc anaphylactique, hémorragie du post-partum. "
        "Chaque session se termine par un débriefing guidé.",
        "description": "Des urgentistes et des sages-femmes formateurs écrivent les scénarios, "
        "validés par un conseil pédagogique. Les casques fonctionnent sans connexion et ne "
        "recueillent aucune donnée de santé.\n\nLe programme s'adresse aux instituts de "
        "formation en soins infirmiers et aux services d'urgences.",
        "facts": ("Simulact SAS", "32", "tiers-lieux", 2022, 120_000, 7, "2022-09-27"),
        "themes": ["Formation des professionnels"],
        "partners": ["Institut de formation en soins infirmiers de la Côte d'Opale"],
        "website": "https://simulact.example.org",
    },
    {
        "slug": "air-et-souffle",
        "title": "Alertes pollens et qualité de l'air pour les patients asthmatiques",
        "summary": "Air & Souffle croise les prévisions de pollens et de pollution avec le "
        "journal de symptômes des patients asthmatiques. La veille d'un épisode, le patient "
        "reçoit une alerte personnalisée et un rappel de son plan d'action.",
        "description": "Les prévisions viennent des réseaux publics de surveillance de l'air et "
        "des pollens ; les seuils s'ajustent au profil de chaque patient. Le pneumologue "
        "consulte l'historique lors du suivi.\n\nUne étude auprès de 500 patients compte les "
        "exacerbations et les passages aux urgences sur deux saisons polliniques.",
        "facts": ("Air & Souffle SAS", "44", "dmn", 2024, 260_000, 6, "2024-05-14"),
        "themes": ["Santé environnementale", "Prévention et santé publique", "Maladies chroniques"],
        "partners": ["Centre hospitalier de Meuse-Argonne"],
        "website": "https://airetsouffle.example.org",
    },
    {
        "slug": "entrepot-maladies-rares",
        "title": "Entrepôt de données fédéré pour la recherche sur les maladies rares",
        "summary": "Le projet relie les données de cinq centres de référence maladies rares sans "
        "les centraliser : chaque établissement garde ses données et répond aux requêtes des "
        "chercheurs autorisés. Les cohortes se constituent en semaines plutôt qu'en mois.",
        "description": "Les données sont converties au modèle commun OMOP et aux ressources "
        "FHIR ; seuls des résultats agrégés quittent les établissements. Un portail de "
        "transparence décrit chaque étude et rappelle le droit d'opposition des patients.\n\n"
        "Des associations de patients siègent au comité scientifique et éthique.",
        "facts": (
            "Groupe hospitalier universitaire Rives-de-Seine",
            "11",
            "interop",
            2026,
            800_000,
            5,
            "2026-08-25",
        ),
        "themes": ["Données de santé et recherche", "Interopérabilité"],
        "partners": ["Alliance francilienne des associations de maladies rares"],
        "website": "",
    },
    {
        "slug": "rythmia",
        "title": "Lecture automatisée des électrocardiogrammes en médecine de ville",
        "summary": "Rythmia analyse les électrocardiogrammes enregistrés en cabinet et signale "
        "en quelques secondes les anomalies à confirmer. Les tracés douteux sont relus par un "
        "cardiologue en téléexpertise.",
        "description": "L'algorithme a été évalué sur 60 000 tracés annotés par des "
        "cardiologues, avec des performances publiées par sous-groupe. Il trie et explique ; le "
        "médecin décide.\n\nCent cabinets mesurent l'effet sur le dépistage de la fibrillation "
        "atriale chez les patients âgés.",
        "facts": ("Rythmia SAS", "53", "ia", 2026, 430_000, 7, "2026-10-13"),
        "themes": [IA, "Cardiologie", "Téléconsultation et téléexpertise"],
        "partners": ["Maisons de santé du pays de Brocéliande"],
        "website": "https://rythmia.example.org",
    },
    {
        "slug": "histolab",
        "title": "Lecture assistée des lames d'anatomopathologie numérisées",
        "summary": "Histolab aide les pathologistes à repérer les zones tumorales et à compter "
        "les mitoses sur les lames numérisées de cancers du sein et du côlon. La lecture gagne "
        "en rapidité et en reproductibilité.",
        "description": "Les modèles sont entraînés sur des lames de plusieurs scanners et "
        "colorations pour rester robustes d'un laboratoire à l'autre. Le pathologiste accepte "
        "ou corrige chaque annotation proposée.\n\nL'aide finance la base d'évaluation et la "
        "préparation du marquage CE au titre du règlement sur le diagnostic in vitro.",
        "facts": ("Histolab Numérique SAS", "75", "ia", 2026, 1_000_000, 4, "2026-11-03"),
        "themes": [IA, "Oncologie", "Imagerie"],
        "partners": ["Institut de pathologie de l'Atlantique"],
        "website": "https://histolab.example.org",
    },
    {
        "slug": "voxa",
        "title": "Biomarqueurs vocaux pour le repérage précoce de la dépression",
        "summary": "Voxa étudie si de courts enregistrements de la voix permettent de repérer des "
        "signes de dépression chez les patients de médecine générale. Le projet en est au stade "
        "de la recherche et ne rend aucun résultat aux patients.",
        "description": "Les enregistrements sont traités localement et seuls des indicateurs "
        "acoustiques sont conservés ; le protocole a reçu l'avis favorable d'un comité de "
        "protection des personnes.\n\nL'aide finance une cohorte de 300 participants et "
        "l'analyse des biais selon l'âge, l'accent et la langue maternelle, créole ou français.",
        "facts": ("Voxa Santé SAS", "01", "ia", 2026, 85_000, 3, "2026-08-04"),
        "themes": ["Santé mentale", IA, "Données de santé et recherche"],
        "partners": [],
        "website": "",
    },
]
