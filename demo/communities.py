"""The health communities (and the central editorial team's shared section) in the demo."""

COMMUNITIES = [
    {
        "slug": "sentral",
        "title": "Felles innhold",
        "short_name": "Felles",
        "intro": "Felles innhold er prosedyrer, anbefalinger og erfaringer som gjelder på tvers av helsefellesskapene. Den sentrale redaksjonen forvalter innholdet sammen med fagnettverk fra alle deltakerne.",
        "description": (
            "<p>Den sentrale redaksjonen har ansvar for portalens tekniske løsning, felles maler og "
            "fagområder, og for innhold som er likt for alle helsefellesskapene. Lokale redaksjoner "
            "eier sidene i sitt eget helsefellesskap og kan bygge videre på det felles innholdet.</p>"
            "<h2>Hva finner du her?</h2>"
            "<p>Her ligger blant annet felles minimumsstandarder for legemiddelsamstemming, smittevern "
            "ved overflytting og ernæringsscreening, og anbefalinger om individuell plan, barn som "
            "pårørende og forhåndssamtaler. Innholdet er utarbeidet av tverrfaglige fagnettverk med "
            "representanter fra kommuner, sykehus, fastleger og brukerorganisasjoner.</p>"
            "<h2>Foreslå felles innhold</h2>"
            "<p>Har ditt helsefellesskap en rutine som bør gjelde for flere? Ta kontakt med den "
            "sentrale redaksjonen, så vurderer vi den sammen med det aktuelle fagnettverket.</p>"
        ),
        "members": [
            "Sentral redaksjon for Kompetanseportalen",
            "Helsefellesskap Oslo",
            "Helsefellesskapet Ahus-området",
            "Helsefellesskap Vestre Viken",
        ],
        "contact_email": "redaksjonen@kompetanseportalen.example.no",
        "contact_phone": "23 00 00 00",
    },
    {
        "slug": "oslo",
        "title": "Helsefellesskap Oslo",
        "short_name": "Oslo",
        "intro": "Helsefellesskap Oslo består av Oslo kommune med bydelene og sykehusene i hovedstaden. Her finner du rutiner og anbefalinger for samarbeidet mellom bydel, fastlege og sykehus.",
        "description": (
            "<p>Oslo kommune har om lag 700 000 innbyggere fordelt på femten bydeler. Tolv av bydelene "
            "hører til sykehusområdene til Oslo universitetssykehus, Lovisenberg Diakonale Sykehus og "
            "Diakonhjemmet Sykehus. Bydelene Alna, Grorud og Stovner hører til Ahus sitt opptaksområde "
            "og deltar derfor også i Helsefellesskapet Ahus-området.</p>"
            "<h2>Prioriterte områder</h2>"
            "<ul><li>Datadeling på tvers av tjenestenivåene og storbylegevakten</li>"
            "<li>Psykisk helse hos barn og unge: inntak, overganger og likeverdig tilbud i bydelene</li>"
            "<li>Rehabilitering</li><li>Kompetanse og rekruttering</li></ul>"
            "<p>Innholdet forvaltes av den lokale redaksjonen i samarbeid med de lokale "
            "samarbeidsutvalgene i hver sykehussektor.</p>"
        ),
        "members": [
            "Oslo universitetssykehus HF",
            "Lovisenberg Diakonale Sykehus",
            "Diakonhjemmet Sykehus",
            "Oslo kommune, Helseetaten (inkludert Oslo legevakt)",
            "Oslo kommune, Sykehjemsetaten",
            "Bydel Bjerke",
            "Bydel Frogner",
            "Bydel Gamle Oslo",
            "Bydel Grünerløkka",
            "Bydel Nordre Aker",
            "Bydel Nordstrand",
            "Bydel Sagene",
            "Bydel St. Hanshaugen",
            "Bydel Søndre Nordstrand",
            "Bydel Ullern",
            "Bydel Vestre Aker",
            "Bydel Østensjø",
        ],
        "contact_email": "helsefellesskap@oslo.example.no",
        "contact_phone": "22 00 00 00",
    },
    {
        "slug": "ahus",
        "title": "Helsefellesskapet Ahus-området",
        "short_name": "Ahus",
        "intro": "Helsefellesskapet i Akershus universitetssykehus sitt opptaksområde samler sykehuset, kommunene på Romerike og i Follo og tre bydeler i Oslo. Her deler vi rutiner, samarbeidsanbefalinger og erfaringer fra felles prosjekter.",
        "description": (
            "<p>Akershus universitetssykehus (Ahus) samarbeider med et stort antall kommuner og tre "
            "Oslo-bydeler. Fordi kommunene er svært ulike i størrelse og organisering, legger vi vekt "
            "på felles minimumsrutiner som kan tilpasses lokalt.</p>"
            "<h2>Satsingsområder</h2>"
            "<ul><li>Ambulerende team fra sykehuset, blant annet palliativt team og ambulerende "
            "sykepleieteam</li><li>FACT-team og samarbeid om personer med ROP-lidelser</li>"
            "<li>Barn som pårørende og samarbeid med habiliteringstjenesten</li>"
            "<li>Respiratorbehandling og digital hjemmeoppfølging</li></ul>"
            "<p>Elektronisk meldingsutveksling fungerer godt mellom kommunene og sykehuset. Vi arbeider "
            "videre med å gjøre samhandlingen enklere for fastlegene.</p>"
        ),
        "members": [
            "Akershus universitetssykehus HF",
            "Aurskog-Høland kommune",
            "Eidsvoll kommune",
            "Enebakk kommune",
            "Frogn kommune",
            "Gjerdrum kommune",
            "Hurdal kommune",
            "Lillestrøm kommune",
            "Lørenskog kommune",
            "Nannestad kommune",
            "Nes kommune",
            "Nesodden kommune",
            "Nittedal kommune",
            "Nordre Follo kommune",
            "Rælingen kommune",
            "Ullensaker kommune",
            "Vestby kommune",
            "Ås kommune",
            "Oslo kommune, bydel Alna",
            "Oslo kommune, bydel Grorud",
            "Oslo kommune, bydel Stovner",
        ],
        "contact_email": "samhandling@ahus.example.no",
        "contact_phone": "67 00 00 00",
    },
    {
        "slug": "vestre-viken",
        "title": "Helsefellesskap Vestre Viken",
        "short_name": "Vestre Viken",
        "intro": "Helsefellesskap Vestre Viken består av Vestre Viken HF og kommunene i Asker og Bærum, Drammensregionen, Kongsberg, Ringerike og Hallingdal. Her finner du felles rutiner og gode eksempler fra samarbeidet.",
        "description": (
            "<p>Vestre Viken HF driver sykehusene i Bærum, Drammen, Kongsberg og Ringerike og "
            "samarbeider med kommuner fra Asker i øst til Hol i vest. Samarbeidet bygger på at kommune "
            "og sykehus er likeverdige parter, og at ingen av partene skaper forventninger hos "
            "pasienten som binder den andre.</p>"
            "<h2>Kommunale akutte døgnplasser</h2>"
            "<p>Flere kommuner har bygd opp KAD-tilbud i tett samarbeid med legevakt og sykehus. "
            "Her finner du felles kriterier for innleggelse og erfaringer fra kommunene som har "
            "kommet lengst, blant annet med egne plasser for psykisk helse og rus.</p>"
            "<h2>Digital samhandling</h2>"
            "<p>Ut over PLO-meldingene mangler partene en felles plattform for samhandling. "
            "Kompetanseportalen er ett av tiltakene for å dele rutiner og erfaringer på tvers.</p>"
        ),
        "members": [
            "Vestre Viken HF",
            "Asker kommune",
            "Bærum kommune",
            "Drammen kommune",
            "Flesberg kommune",
            "Flå kommune",
            "Gol kommune",
            "Hemsedal kommune",
            "Hol kommune",
            "Hole kommune",
            "Jevnaker kommune",
            "Kongsberg kommune",
            "Krødsherad kommune",
            "Lier kommune",
            "Modum kommune",
            "Nesbyen kommune",
            "Nore og Uvdal kommune",
            "Ringerike kommune",
            "Rollag kommune",
            "Sigdal kommune",
            "Øvre Eiker kommune",
            "Ål kommune",
        ],
        "contact_email": "helsefellesskap@vestreviken.example.no",
        "contact_phone": "32 00 00 00",
    },
]
