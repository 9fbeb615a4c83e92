"""A judged Norwegian test collection over the demo content, and nDCG@10 to score a ranking.

Documents are named "community/slug". Grades: 3 answers the query, 2 is highly relevant,
1 is related. Used by test_relevance.py and by bench/search_bench.py.
"""

import math

JUDGMENTS = {
    # single words and their inflections
    "legemiddelsamstemming": {
        "ahus/legemiddelsamstemming-ved-innleggelse-og-utskrivning": 3,
        "oslo/legemiddelsamstemming-ved-utskrivning": 3,
        "sentral/legemiddelliste-og-kjernejournal-ved-overganger": 2,
        "oslo/endring-av-multidose-etter-utskrivning": 1,
    },
    "legemidler": {
        "sentral/legemiddelliste-og-kjernejournal-ved-overganger": 2,
        "oslo/legemiddelsamstemming-ved-utskrivning": 2,
        "ahus/legemiddelsamstemming-ved-innleggelse-og-utskrivning": 2,
        "oslo/endring-av-multidose-etter-utskrivning": 2,
    },
    "multidose": {
        "oslo/endring-av-multidose-etter-utskrivning": 3,
        "sentral/legemiddelliste-og-kjernejournal-ved-overganger": 1,
    },
    "kjernejournal": {
        "sentral/legemiddelliste-og-kjernejournal-ved-overganger": 3,
        "ahus/legemiddelsamstemming-ved-innleggelse-og-utskrivning": 1,
    },
    "underernæring": {
        "sentral/ernaeringsscreening-av-eldre": 3,
        "oslo/delt-stilling-ernaeringsfysiolog": 2,
    },
    "hverdagsrehabilitering": {"vestre-viken/hverdagsrehabilitering-etter-sykehusopphold": 3},
    "autisme": {"oslo/barn-med-mistanke-om-autisme": 3},
    "diabetes": {"ahus/kultursensitiv-oppfolging-av-diabetes": 3},
    "forhåndssamtale": {"sentral/forhandssamtaler-og-livets-siste-fase": 3},
    # abbreviations and their expansions, both ways
    "KOLS": {
        "oslo/digital-hjemmeoppfolging-kols": 3,
        "ahus/digital-hjemmeoppfolging-kols-oppstart-og-overforing": 3,
        "ahus/respiratorbehandling-i-hjemmet": 1,
    },
    "kronisk obstruktiv lungesykdom": {
        "oslo/digital-hjemmeoppfolging-kols": 3,
        "ahus/digital-hjemmeoppfolging-kols-oppstart-og-overforing": 3,
        "ahus/respiratorbehandling-i-hjemmet": 1,
    },
    "BUP": {
        "oslo/henvisning-til-bup": 3,
        "vestre-viken/bup-helsestasjon-og-skolehelsetjeneste": 3,
        "oslo/barn-med-mistanke-om-autisme": 1,
    },
    "DPS": {
        "oslo/dps-og-bydel-ved-avslutning-av-behandling": 3,
        "oslo/samarbeid-om-pasienter-i-fact-team": 2,
        "vestre-viken/samarbeid-om-personer-med-rop-lidelser": 2,
        "ahus/fact-team-i-bydel": 1,
    },
    "KAD": {
        "vestre-viken/innleggelse-i-kad-somatikk": 3,
        "vestre-viken/kad-psykisk-helse-og-rus": 3,
        "vestre-viken/kad-og-utskrivningsklare-senger-i-baerum": 3,
    },
    "kommunale akutte døgnplasser": {
        "vestre-viken/innleggelse-i-kad-somatikk": 3,
        "vestre-viken/kad-psykisk-helse-og-rus": 3,
        "vestre-viken/kad-og-utskrivningsklare-senger-i-baerum": 3,
    },
    "ROP-lidelser": {
        "ahus/utskrivning-av-pasienter-med-rop-lidelser": 3,
        "vestre-viken/samarbeid-om-personer-med-rop-lidelser": 3,
        "oslo/fact-ung": 1,
    },
    "PLO-melding": {
        "ahus/plo-meldinger-ved-innleggelse-og-utskrivning": 3,
        "vestre-viken/varsling-og-mottak-av-utskrivningsklare-pasienter": 2,
    },
    "individuell plan": {"sentral/individuell-plan-og-koordinator": 3},
    "IP og koordinator": {"sentral/individuell-plan-og-koordinator": 3},
    "FACT-team": {
        "oslo/samarbeid-om-pasienter-i-fact-team": 3,
        "ahus/fact-team-i-bydel": 3,
        "oslo/fact-ung": 3,
    },
    # several words
    "fall hos eldre": {
        "sentral/forebygging-av-fall-hos-hjemmeboende-eldre": 3,
        "oslo/akutt-funksjonssvikt-hos-eldre": 1,
    },
    "demens utredning": {
        "vestre-viken/demensutredning-i-kommunen": 3,
        "ahus/felles-utredningsforlop-demens": 3,
    },
    "palliasjon barn": {
        "vestre-viken/palliasjon-til-barn-hjemme": 3,
        "ahus/palliasjon-i-hjemmet": 1,
    },
    "lindrende behandling hjemme": {
        "ahus/palliasjon-i-hjemmet": 3,
        "vestre-viken/palliasjon-til-barn-hjemme": 2,
        "sentral/forhandssamtaler-og-livets-siste-fase": 1,
    },
    "utskrivningsklare pasienter": {
        "vestre-viken/varsling-og-mottak-av-utskrivningsklare-pasienter": 3,
        "vestre-viken/kad-og-utskrivningsklare-senger-i-baerum": 2,
    },
    "barn som pårørende": {"sentral/barn-som-parorende": 3},
    "resistente bakterier": {"sentral/overflytting-ved-resistente-bakterier": 3},
    "hjerneslag rehabilitering": {
        "vestre-viken/rehabilitering-etter-hjerneslag": 3,
        "vestre-viken/hverdagsrehabilitering-etter-sykehusopphold": 1,
    },
    "respirator hjemme": {"ahus/respiratorbehandling-i-hjemmet": 3},
    "gravide rus": {"ahus/gravide-med-rusmiddelproblemer": 3},
    "tolk ved utskrivning": {"sentral/tolk-og-tilbakelaering-ved-utskrivning": 3},
    "dialogmelding fastlege": {"sentral/elektronisk-dialog-fastlege-og-sykehus": 3},
    "habilitering barn": {"ahus/habiliteringstjenesten-for-barn-og-kommunene": 3},
    "akutt funksjonssvikt": {"oslo/akutt-funksjonssvikt-hos-eldre": 3},
    "brukerstyrt innleggelse": {"vestre-viken/brukerstyrt-innleggelse-psykisk-helse-og-rus": 3},
    "hjemmesykepleie legemiddelliste": {
        "oslo/legemiddelsamstemming-ved-utskrivning": 3,
        "oslo/endring-av-multidose-etter-utskrivning": 2,
        "sentral/legemiddelliste-og-kjernejournal-ved-overganger": 1,
    },
    # typos
    "ernæringsscrening": {
        "sentral/ernaeringsscreening-av-eldre": 3,
        "oslo/delt-stilling-ernaeringsfysiolog": 1,
    },
    "hjemmeoppfølgning kols": {
        "oslo/digital-hjemmeoppfolging-kols": 3,
        "ahus/digital-hjemmeoppfolging-kols-oppstart-og-overforing": 3,
    },
    # questions in plain language
    "hvem har ansvar for legemiddelsamstemming ved utskrivning?": {
        "oslo/legemiddelsamstemming-ved-utskrivning": 3,
        "ahus/legemiddelsamstemming-ved-innleggelse-og-utskrivning": 3,
        "sentral/legemiddelliste-og-kjernejournal-ved-overganger": 2,
        "oslo/endring-av-multidose-etter-utskrivning": 1,
    },
    "hvordan henviser jeg et barn til psykiatrisk poliklinikk?": {
        "oslo/henvisning-til-bup": 3,
        "vestre-viken/bup-helsestasjon-og-skolehelsetjeneste": 1,
    },
    "hvordan varsler sykehuset kommunen om utskrivningsklare pasienter?": {
        "vestre-viken/varsling-og-mottak-av-utskrivningsklare-pasienter": 3,
        "ahus/plo-meldinger-ved-innleggelse-og-utskrivning": 2,
        "vestre-viken/kad-og-utskrivningsklare-senger-i-baerum": 1,
    },
    "hva gjør vi når en hjemmeboende eldre plutselig blir dårligere?": {
        "oslo/akutt-funksjonssvikt-hos-eldre": 3,
        "vestre-viken/innleggelse-i-kad-somatikk": 1,
    },
}

K = 10


def dcg(grades):
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:K]))


def ndcg(ranked_keys, judged):
    ideal = dcg(sorted(judged.values(), reverse=True))
    if ideal == 0:
        return 0.0
    return dcg([judged.get(key, 0) for key in ranked_keys]) / ideal


def page_key(page):
    """ "community/slug" for a page, from its URL path (/hjem/<community>/<listing>/<slug>/)."""
    parts = [p for p in page.url_path.split("/") if p]
    return f"{parts[1]}/{parts[-1]}" if len(parts) >= 3 else page.slug


def evaluate(rank):
    """Mean nDCG@10 of ``rank(query) -> [page keys]`` over the collection, and per query."""
    per_query = {query: ndcg(rank(query), judged) for query, judged in JUDGMENTS.items()}
    return sum(per_query.values()) / len(per_query), per_query


def portal_ranking(query):
    from wagtail.models import Page

    from search.service import run_search

    result = run_search(query, per_page=K)
    pages = Page.objects.in_bulk([hit.page_id for hit in result.hits])
    return [page_key(pages[hit.page_id]) for hit in result.hits if hit.page_id in pages]


def wagtail_ranking(query):
    from wagtail.models import Page

    return [page_key(page) for page in Page.objects.live().search(query)[:K]]
