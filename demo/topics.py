"""Fagområder (topics) for the demo portal."""

TOPICS = [
    {
        "name": "Legemidler",
        "slug": "legemidler",
        "description": "Legemiddelsamstemming, legemiddellister, multidose og trygg legemiddelbruk når pasienten flytter mellom tjenestenivåer.",
    },
    {
        "name": "Psykisk helse",
        "slug": "psykisk-helse",
        "description": "Samarbeid om personer med psykiske lidelser, blant annet DPS, BUP, FACT-team og kommunale tjenester for psykisk helse.",
    },
    {
        "name": "Rus og avhengighet",
        "slug": "rus",
        "description": "Forebygging, behandling og oppfølging av rusmiddelproblemer, inkludert ROP-lidelser, LAR og samarbeid med TSB.",
    },
    {
        "name": "Rehabilitering og habilitering",
        "slug": "rehabilitering",
        "description": "Rehabilitering etter sykdom og skade, habilitering av barn og voksne, individuell plan, koordinator og hverdagsrehabilitering.",
    },
    {
        "name": "Innleggelse og utskrivning",
        "slug": "utskrivning-og-innleggelse",
        "description": "Overganger mellom hjem, kommunale tjenester og sykehus: varsling, utskrivningsklare pasienter og PLO-meldinger.",
    },
    {
        "name": "Akuttmedisin og legevakt",
        "slug": "akuttmedisin",
        "description": "Den akuttmedisinske kjeden utenfor sykehus: legevakt, kommunale akutte døgnplasser (KAD), ambulanse og vurdering av akutt syke.",
    },
    {
        "name": "Palliasjon",
        "slug": "palliasjon",
        "description": "Lindrende behandling og omsorg for barn og voksne med livstruende sykdom, forhåndssamtaler og omsorg ved livets slutt.",
    },
    {
        "name": "Ernæring",
        "slug": "ernaering",
        "description": "Ernæringsscreening, forebygging og behandling av underernæring og kostveiledning ved kroniske sykdommer.",
    },
    {
        "name": "KOLS og lungesykdom",
        "slug": "kols-og-lungesykdom",
        "description": "Oppfølging av personer med KOLS og andre kroniske lungesykdommer, digital hjemmeoppfølging og respiratorbehandling i hjemmet.",
    },
    {
        "name": "Demens",
        "slug": "demens",
        "description": "Utredning, diagnostikk og oppfølging av personer med demens og støtte til pårørende.",
    },
    {
        "name": "Barn og familie",
        "slug": "barn-og-familie",
        "description": "Helsestasjon og skolehelsetjeneste, barn som pårørende, barnekoordinator og samarbeid om barn med sammensatte behov.",
    },
    {
        "name": "E-helse og samhandling",
        "slug": "e-helse-og-samhandling",
        "description": "Elektronisk meldingsutveksling, kjernejournal, digitale samhandlingsverktøy og felles planlegging mellom tjenestenivåene.",
    },
    {
        "name": "Infeksjon og smittevern",
        "slug": "infeksjon-og-smittevern",
        "description": "Smittevern ved overflytting, resistente bakterier, utbruddshåndtering og riktig antibiotikabruk.",
    },
]
