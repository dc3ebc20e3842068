"""The convention text used when a call's terms do not give their own: a plain grant agreement
staff copy into the admin and adapt (« Suivi des projets » → « Conditions de financement »)."""

DEFAULT_TEMPLATE = """
<h2>Article 1 — Objet</h2>
<p>La présente convention a pour objet de définir les conditions dans lesquelles
{{ operateur }} accorde à {{ beneficiaire }} (SIRET {{ siret }}), {{ adresse }}, une aide
pour la réalisation du projet « {{ projet }} » (dossier {{ reference }}), retenu au titre de
l'appel à projets « {{ appel }} ».</p>
<h2>Article 2 — Montant de l'aide</h2>
<p>L'aide s'élève à {{ montant_total }}, dont {{ montant_subvention }} versés sous forme de
subvention et {{ montant_avance }} sous forme d'avance remboursable en cas de succès du projet.
Elle représente {{ taux_aide }} des coûts éligibles du projet, qui s'élèvent à
{{ couts_eligibles }}.</p>
<h2>Article 3 — Durée et jalons</h2>
<p>Le projet est réalisé en {{ duree_mois }} mois à compter de la prise d'effet de la
convention. Ses jalons sont les suivants :</p>
{{ jalons }}
<h2>Article 4 — Versements</h2>
<p>L'aide est versée selon l'échéancier suivant ; chaque versement intermédiaire suit
l'acceptation du rapport du jalon correspondant, le solde l'acceptation du rapport final.</p>
{{ echeancier }}
<h2>Article 5 — Remboursement de l'avance</h2>
{{ remboursement }}
<h2>Article 6 — Compte rendu et indicateurs</h2>
{{ obligations_rapports }}
{{ indicateurs }}
<h2>Article 7 — Résiliation</h2>
<p>En cas de manquement du bénéficiaire à ses obligations, la convention peut être résiliée
par l'opérateur après mise en demeure restée sans effet ; les sommes versées et non justifiées
sont alors reversées.</p>
"""
