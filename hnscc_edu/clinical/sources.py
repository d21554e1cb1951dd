"""Reference keys cited by the calculators, with the citation as the evidence sheets give it.

The keys match ``references/references.yaml`` where an entry already exists there; the text here is only what the
sheets in ``/shared/evidence`` record (identifiers appear only where the sheets saw them), so that a calculator's
output can always be traced to a readable source without importing the content layer.
"""

from __future__ import annotations

SOURCES: dict[str, str] = {
    # Linear-quadratic formulas
    "tsang-rbapp-equations": "Radiobiology app equations page (University of Toronto), citing Hall & Giaccia, "
                             "Radiobiology for the Radiologist; individual.utoronto.ca/dtsang/rbapp_web/equations.html",
    "icrpaedia-equieffective-dose": "ICRPaedia, 'Equieffective dose'; icrpaedia.org/Equieffective_dose",
    # Cumulative dose, recovery and organ limits
    "nieder2006": "Nieder C et al. Int J Radiat Oncol Biol Phys 2006;66(5):1446-1449. PMID 17084560",
    "doi2021": "Doi H, Tamari K, Oh RJ, Nieder C. Strahlenther Onkol 2021;197:463-473. "
               "DOI 10.1007/s00066-021-01772-7",
    "kirkpatrick2010-quantec": "Kirkpatrick JP et al. (QUANTEC spinal cord). Int J Radiat Oncol Biol Phys "
                               "2010;76(3 Suppl):S42-S49. DOI 10.1016/j.ijrobp.2009.04.095",
    "rulach2021-thoracic-delphi": "Thoracic re-irradiation Delphi consensus, Table 4 (PMC8022147); title not seen, "
                                  "recalled as Rulach et al., Adv Radiat Oncol 2021",
    "sahgal2012": "Sahgal A et al. Int J Radiat Oncol Biol Phys 2012 (SBRT re-irradiation of the spine; abstract)",
    "embring2021": "Embring A et al. Cancers 2021;13(13):3173. DOI 10.3390/cancers13133173; PMC8269009",
    "yazici2013": "Yazici et al. (Hacettepe). Radiat Oncol 2013;8:242. DOI 10.1186/1748-717X-8-242",
    "survey2025-reirradiation-constraints": "2025 multicentre survey of re-irradiation constraints (17 centres); "
                                            "title, authors and journal not seen; MSKCC Synapse works/227374",
    # Selection and definitions
    "ward2018-miri": "Ward MC et al. (MIRI collaborative). Int J Radiat Oncol Biol Phys 2018;100(3):586-594",
    "vargo2018": "Vargo JA et al. Int J Radiat Oncol Biol Phys 2018;100(3):595-605. PMID 28899556; PMC7418052; "
                 "DOI 10.1016/j.ijrobp.2017.04.017",
    "ward2019-nomogram": "Ward MC et al. A competing risk nomogram to predict severe late toxicity after modern "
                         "re-irradiation for squamous carcinoma of the head and neck. Oral Oncol 2019;90:80-86",
    "lee2021-snuh": "Lee et al. Radiat Oncol J 2021;39(4):279-287. DOI 10.3857/roj.2021.00640",
    "lee2020-krog1707": "Lee J et al. (KROG 1707). Cancer Res Treat 2020;52(4):1031-1040. "
                        "DOI 10.4143/crt.2020.310; PMID 32632081",
    "andratschke2022-estro-eortc": "Andratschke N, Willmann J, Appelt AL, ... Nieder C. European Society for "
                                   "Radiotherapy and Oncology and European Organisation for Research and Treatment "
                                   "of Cancer consensus on re-irradiation: definition, reporting, and clinical "
                                   "decision making. Lancet Oncol 2022",
    "apm2024-astro-panel": "ASTRO 2023 education-panel review of re-irradiation. Ann Palliat Med 2024. "
                           "DOI 10.21037/apm-24-4; PMID 38859596",
    # Response assessment
    "eisenhauer2009-recist": "Eisenhauer EA et al. (RECIST 1.1). Eur J Cancer 2009;45:228-247",
    "seymour2017-irecist": "Seymour L et al. (iRECIST). Lancet Oncol 2017",
    # Biomarkers
    "yilmaz2023-asco": "ASCO guideline: Immunotherapy and Biomarker Testing in Recurrent and Metastatic Head and "
                       "Neck Cancers. J Clin Oncol 2023 (published 15 Dec 2022, updated 27 Mar 2023); first author "
                       "Yilmaz E (recalled)",
    "lewis2018-cap-hpv": "Lewis JS Jr et al. (CAP HPV testing in head and neck carcinomas). Arch Pathol Lab Med "
                         "2018;142:559-597",
    "lewis2025-cap-hpv": "Lewis JS Jr et al. (CAP HPV testing update). Arch Pathol Lab Med 2025;149(6):e115-e150. "
                         "DOI 10.5858/arpa.2024-0388-CP; PMID 40126379",
    "cps-bioprotocol": "Bio-protocol methods text giving the PD-L1 combined positive score formula "
                       "(secondary source)",
    # Systemic therapy
    "burtness2019-keynote048": "Burtness B et al. (KEYNOTE-048). Lancet 2019;394:1915-1928. "
                               "DOI 10.1016/S0140-6736(19)32591-7; PMID 31679945",
    "harrington2023-keynote048": "Harrington KJ et al. (KEYNOTE-048 4-year update). J Clin Oncol "
                                 "2023;41(4):790-802. DOI 10.1200/JCO.21.02508; PMID 36219809; PMC9902012",
    "tahara2025-keynote048": "Tahara M et al. (KEYNOTE-048 5-year update). Eur J Cancer 2025;221:115395. "
                             "DOI 10.1016/j.ejca.2025.115395; PMID 40262400",
    "burtness2022-keynote048-cps": "Burtness B et al. (KEYNOTE-048 CPS subgroups). J Clin Oncol 2022. "
                                   "PMID 35333599",
    "vermorken2008-extreme": "Vermorken JB et al. (EXTREME). N Engl J Med 2008;359:1116-1127",
    "guigay2021-tpextreme": "Guigay J et al. (TPExtreme, GORTEC 2014-01). Lancet Oncol 2021;22(4):463-475. "
                            "DOI 10.1016/S1470-2045(20)30755-5; PMID 33684370",
    "ferris2016-checkmate141": "Ferris RL et al. (CheckMate 141). N Engl J Med 2016;375(19):1856-1867. "
                               "DOI 10.1056/NEJMoa1602252; PMID 27718784",
    "cohen2019-keynote040": "Cohen EEW et al. (KEYNOTE-040). Lancet 2019;393(10167):156-167. "
                            "DOI 10.1016/S0140-6736(18)31999-8; PMID 30509740",
    "fayette2025-interlink1": "Fayette J et al. (INTERLINK-1). Clin Cancer Res 2025;31(13):2617-2627. "
                              "DOI 10.1158/1078-0432.CCR-25-0073; PMID 40300079",
    "cabezas2025-post-io-cetuximab": "Cabezas-Camarero S et al. Front Oncol 2025/26. DOI 10.3389/fonc.2025.1719793 "
                                     "(seen only in a secondary summary)",
    "soulieres2025-buran": "Soulières D et al. (BURAN). ESMO 2025",
    "fortifi-hn01-nct06788990": "FORTIFI-HN01, phase 2/3 trial of ficerafusp alfa + pembrolizumab, NCT06788990",
    "liger-hn1-nct06525220": "LiGeR-HN1, phase 3 trial of petosemtamab + pembrolizumab, NCT06525220",
    "liger-hn2-nct06496178": "LiGeR-HN2, phase 3 trial of petosemtamab vs investigator's choice, NCT06496178",
    "origami5-trial": "OrigAMI-5, phase 3 trial of subcutaneous amivantamab + pembrolizumab + carboplatin "
                      "(trial listing; NCT number not recorded in the sheet)",
    "origami4-nct06385080": "OrigAMI-4, phase 1b/2 study of subcutaneous amivantamab, NCT06385080",
    "swiecicki2024-ev202": "Swiecicki P et al. (EV-202 head and neck cohort, enfortumab vedotin). J Clin Oncol 2024",
    "innovatv207-nct03485209": "innovaTV 207, tisotumab vedotin, NCT03485209",
    # Resectability
    "nci-pdq-oropharynx-2014": "NCI PDQ, Oropharyngeal Cancer Treatment, Table 1 (AJCC 7th ed. reprint)",
    "nci-pdq-hypopharynx": "NCI PDQ hypopharynx T table (AJCC 7th ed. reprint)",
    "aaohns-tnm-guide-5": "AAO-HNS TNM Staging Guide, 5th ed. (larynx; secondary source)",
    "mattavelli2024-t4b": "Mattavelli et al. Curr Opin Otolaryngol 2024 (oral cavity T4b; abstract)",
    "frontiers2021-carotid-review": "Review of carotid encasement in head and neck cancer. Front Oncol 2021 "
                                    "(authors not recorded in the sheet)",
    "lodder2013-carotid": "Lodder WL et al. Int J Surg Oncol 2013 (carotid encasement image example)",
    "liao2007-infranotch": "Liao et al. Oral Oncol 2007 (infra-notch masticator-space oral cancer, n=45)",
    "nccn-head-neck": "NCCN Guidelines, Head and Neck Cancers, principles of surgery (page not readable; the list "
                      "of unresectability features is unconfirmed)",
}
