"""Request and response bodies of the HTTP API (the advies mirrors contract.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from engine.casus import Casus
from engine.persoonsgegevens import geen_persoonsgegevens

__all__ = [
    "Fout", "FoutAntwoord", "AdviesAntwoord", "BesluitIn", "BesluitAntwoord", "ReviewIn", "ReviewStap",
    "ReviewAntwoord", "Afwijkingen", "RulesetInfo", "Gezondheid", "Gereedheid", "TenOpzichteVanVorige", "CasusAdviezen",
    "ScenarioIn", "OpgeslagenScenario", "ScenarioLijst", "Voorstel", "VoorstellenAntwoord",
    "ReplayIn", "ReplayPeriode", "replay_body", "Alternatief", "AlternatievenAntwoord",
    "RulesetParameters",
]

Route = Literal["hg_arrangement", "basishulp_wijkteam", "buiten_scope"]
Perceel = Literal["extramuraal", "semimuraal", "intramuraal"]
Onderdeel = Literal["casusregie", "slachtofferhulp", "plegerhulp", "systeemgerichte_hulp", "opvoedondersteuning",
                    "kindgerichte_hulp", "specialistische_individuele_hulp"]
Resultaatgebied = Literal["toeleiding_schulddienstverlening", "dagbesteding", "nachtelijke_ondersteuning"]
# Free text of a professional: tabs and line breaks, but no other control characters (PostgreSQL cannot
# store a NUL character in a text column; the others have no place in a reason either).
# Screened for personal data (names, BSN, addresses, dates, phone numbers, e-mail, IBAN): a reason is shown
# to every HG-deskundige for as long as the advies is kept.
Tekst = Annotated[str, Field(max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"),
                  AfterValidator(geen_persoonsgegevens)]


class Fout(BaseModel):
    veld: str = Field(description="Het veld (pad) waar de fout zit, bijvoorbeeld leden[1].leeftijd")
    melding: str = Field(description="Wat er mis is, in het Nederlands")


class FoutAntwoord(BaseModel):
    fouten: list[Fout]


class BudgetVolwassene(BaseModel):
    lid: str
    uur_per_week: float


class BudgetKinderen(BaseModel):
    toegekend_aan: str
    aantal: int
    uur_per_week: float


class Treden(BaseModel):
    semimurale_ondersteuning: int | None
    intramurale_ondersteuning: int | None
    nachtelijke_ondersteuning: int | None


class Verblijf(BaseModel):
    volwassen_clienten: int
    meekomende_kinderen: int


class Looptijd(BaseModel):
    weken: float = Field(description="duur_maanden × 52 / 12")
    uren: float = Field(description="Weekbudget × weken")


class Kosten(BaseModel):
    per_week: float
    looptijd: float
    valuta: Literal["EUR"]
    volledig: bool = Field(description="false: een deel van het budget heeft (nog) geen tarief")
    zonder_tarief: list[str] = Field(description="De onderdelen van het budget zonder tarief")


class Budget(BaseModel):
    volwassenen: list[BudgetVolwassene]
    kinderen: BudgetKinderen | None
    totaal_uur_per_week: float
    pleger_extramuraal_uur_per_week: float | None
    treden: Treden
    trede_diensturen_per_week: dict[str, int]
    verblijf: Verblijf | None
    looptijd: Looptijd | None = None
    kosten: Kosten | None = Field(default=None, description="null zolang er geen tarieven zijn vastgesteld")


class Uitgesloten(BaseModel):
    onderdeel: Onderdeel
    reden: str


class Maatwerk(BaseModel):
    resultaatgebied: Resultaatgebied
    trede: int | None
    reden: str


class Signalering(BaseModel):
    code: str
    tekst: str
    regel: str


class UitlegStap(BaseModel):
    regel: str
    conclusie: str
    omdat: list[str]
    bron: str
    beleidskeuze: bool
    niveau: Literal["hoofdlijn", "detail"] = "hoofdlijn"
    tekst: str
    parameters: dict[str, Any]


class Waarschuwing(BaseModel):
    code: str
    velden: list[str]
    tekst: str


class ResultaatgebiedToekenning(BaseModel):
    resultaatgebied: str
    wet: Literal["wmo", "jeugdwet"]
    voor: str = Field(description="Het gezinslid, of 'kinderen' (administratief het jongste kind)")
    trede: int | None
    naam: str


class RulesetIdentiteit(BaseModel):
    naam: str
    versie: str
    hash: str


class TenOpzichteVanVorige(BaseModel):
    """How an advies differs from the previous advies of its casus (herindicatie)."""

    richting: Literal["opschalen", "afschalen", "gelijk", "anders"] = Field(
        description="Zwaarder (opschalen), lichter (afschalen), gelijk, of niet te ordenen (anders): "
                    "basishulp < HG-arrangement; daarbinnen perceel, dan pakket")
    wijzigingen: dict[str, list[Any]] = Field(description="Elk gewijzigd veld van het advies: [voor, na]")
    regels: list[str] = Field(description="De regels die anders concludeerden")


class AdviesAntwoord(BaseModel):
    """The advies of contract.md, with the id under which it is stored."""

    advies_id: str
    casus_id: str
    peildatum: dt.date
    route: Route
    indicerende_instantie: Literal["wijkteam", "stedelijk_loket"]
    directe_veiligheid_eerst: bool
    perceel: Perceel | None
    pakket: Literal[1, 2, 3] | None
    vrije_trede: bool
    naast_bestaande_wmo_zorg: bool
    budget: Budget | None
    onderdelen: list[Onderdeel]
    uitgesloten_onderdelen: list[Uitgesloten]
    maatwerk: list[Maatwerk]
    signaleringen: list[Signalering]
    duur_maanden: int | None
    fase: Literal["directe_veiligheid", "stabiele_veiligheid", "herstel"] | None = None
    resultaatgebieden: list[ResultaatgebiedToekenning] = []
    waarschuwingen: list[Waarschuwing] = []
    samenvatting: str = ""
    uitleg: list[UitlegStap]
    ruleset: RulesetIdentiteit
    aangemaakt: dt.datetime | None = None
    gevraagd_door: str | None = Field(default=None, description="Rol van wie het advies vroeg")
    vorig_advies_id: str | None = Field(default=None, description="Het nieuwste eerdere advies van dezelfde casus "
                                        "dat de aanvrager mag lezen (herindicatie), of null")
    ten_opzichte_van_vorige: TenOpzichteVanVorige | None = None


class BesluitIn(BaseModel):
    """What the indicatiesteller actually indicated; `reden` is required when it deviates from the advies."""

    model_config = ConfigDict(extra="forbid")

    route: Route
    perceel: Perceel | None = None
    # strict: `true` and `1.0` are no pakket (a Literal[1, 2, 3] accepts both, since True == 1 == 1.0)
    pakket: Annotated[int, Field(strict=True, ge=1, le=3)] | None = None
    maatwerk: list[Resultaatgebied] = Field(default_factory=list, max_length=3)
    reden: Tekst | None = None


class BesluitAntwoord(BaseModel):
    besluit_id: str
    advies_id: str
    afwijkingen: list[str] = Field(description="Velden waarin het besluit afwijkt van het advies")
    aangemaakt: dt.datetime


class ReviewStap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    regel: str = Field(max_length=80)
    stap: int | None = Field(default=None, ge=0, le=10_000,
                             description="Plaats van de stap in `uitleg` (vanaf 0), voor een regel die vaker "
                             "voorkomt (bijvoorbeeld per gezinslid); de regel moet bij die stap horen")
    oordeel: Literal["eens", "oneens"]
    toelichting: Tekst | None = None


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    oordeel: Literal["eens", "oneens"]
    toelichting: Tekst | None = None
    stappen: list[ReviewStap] = Field(default_factory=list, max_length=200)


class ReviewAntwoord(BaseModel):
    review_id: str
    advies_id: str
    aangemaakt: dt.datetime


class CasusBesluit(BaseModel):
    besluit_id: str
    aangemaakt: dt.datetime
    route: str
    perceel: str | None
    pakket: int | None
    maatwerk: list[str]
    afwijkingen: list[str]
    reden: str | None


class CasusAdvies(BaseModel):
    advies_id: str
    aangemaakt: dt.datetime
    route: str
    perceel: str | None
    pakket: int | None
    vrije_trede: bool
    vorig_advies_id: str | None
    ten_opzichte_van_vorige: TenOpzichteVanVorige | None
    besluit: CasusBesluit | None = Field(description="Het laatste besluit (dat telt), of null")
    besluiten: int = Field(description="Het aantal vastgelegde besluiten")


class CasusAdviezen(BaseModel):
    """The adviezen of one casus that the caller may read, oldest first."""

    casus_id: str
    adviezen: list[CasusAdvies]


class RegelAfwijking(BaseModel):
    regel: str
    besluiten: int | None = Field(description="Besluiten op adviezen waarin deze regel vuurde")
    afwijkend: int | None = Field(description="Daarvan: besluiten die afwijken op een onderdeel dat deze regel "
                                              "concludeerde of mede bepaalde (`velden`)")
    aandeel: float | None
    reviews_oneens: int | None = Field(description="Reviews die het oneens zijn met een stap van deze regel")
    velden: list[str] = Field(default_factory=list, description="De onderdelen van het advies (route, perceel, "
                              "pakket, maatwerk) die deze regel concludeerde of mede bepaalde, afgeleid uit de regels "
                              "zelf (engine/herkomst.py); leeg voor een regel die geen van die onderdelen raakt")
    afwijkend_per_veld: dict[str, int | None] = Field(default_factory=dict, description="Per onderdeel uit `velden`: "
                                                      "besluiten die daarop afwijken")
    redenen: list[str] | None = Field(default=None, description="De redenen van die afwijkende besluiten, zonder "
                                      "dubbele en alfabetisch; null zolang het er minder dan `minimum_aantal` zijn")
    toelichtingen: list[str] | None = Field(default=None, description="De toelichtingen van HG-deskundigen bij hun "
                                            "oneens met een stap van deze regel, zonder dubbele en alfabetisch; null "
                                            "zolang `reviews_oneens` onder `minimum_aantal` ligt")


class VeldRegel(BaseModel):
    """A rule that concluded or fed a field, with how often a besluit deviated on that field after it fired."""

    regel: str
    besluiten: int | None = Field(description="Besluiten op adviezen waarin deze regel vuurde")
    afwijkend: int | None = Field(description="Daarvan: besluiten die op dit onderdeel afwijken")
    aandeel: float | None


class VeldAfwijking(BaseModel):
    """One field of the advies a besluit records: how often besluiten deviate on it, after which rules, and why."""

    veld: str
    afwijkend: int | None = Field(description="Besluiten die op dit onderdeel afwijken")
    aandeel: float | None = Field(description="Van alle besluiten")
    regels: list[VeldRegel] = Field(description="De regels die dit onderdeel concludeerden of mede bepaalden, het "
                                                "hoogste aandeel afwijkend eerst")
    redenen: list[str] | None = Field(description="De redenen van de afwijkende besluiten, zonder dubbele en "
                                                  "alfabetisch; null zolang het er minder dan `minimum_aantal` zijn")


class Afwijkingen(BaseModel):
    """Aggregates only: how often decisions deviate from the advies, on which field, after which rules. Every
    count from 1 up to `minimum_aantal` - 1 is suppressed (null, its path listed in `onderdrukt`), and so is a
    share computed from one. A deviation counts only against the rules that concluded or fed the deviating
    field. The professionals' reasons are shown per group only when the group counts at least `minimum_aantal`
    besluiten (or reviews), without duplicates and in alphabetical order, never with an id, a date or who."""

    besluiten: int | None
    afwijkend: int | None
    aandeel_afwijkend: float | None
    per_veld: dict[str, int | None]
    per_regel: list[RegelAfwijking]
    minimum_aantal: int = 1
    onderdrukt: list[str] = Field(default_factory=list)
    # The release point (a Monday 00:00, Europe/Amsterdam, in UTC): only besluiten and reviews from before it
    # count; null when every besluit counts at once (minimum 1), or when nothing is released yet.
    vrijgegeven_tot: dt.datetime | None = None
    velden: list[VeldAfwijking] = Field(default_factory=list, description="Per onderdeel van het advies: de "
                                        "afwijkingen, de regels die het bepaalden en de redenen")
    review_toelichtingen: list[str] | None = Field(default=None, description="De toelichtingen bij reviews die het "
                                                   "oneens zijn met de onderbouwing als geheel, zonder dubbele en "
                                                   "alfabetisch; null zolang het er minder dan `minimum_aantal` zijn")


class RulesetVersie(BaseModel):
    versie: dt.date
    hash: str


class RulesetInfo(BaseModel):
    naam: str
    versies: list[RulesetVersie]


class Gezondheid(BaseModel):
    status: Literal["ok"]


class Gereedheid(BaseModel):
    """GET /health/ready: whether the service reaches its database."""

    status: Literal["ok", "niet gereed"]
    database: Literal["ok", "niet bereikbaar"]


class AuditRegel(BaseModel):
    """One line of the audit log: who, when, what, on which record; never casus or advies content."""

    id: int
    tijd: dt.datetime
    key_id: str | None = Field(description="De sleutel (een hash, nooit de sleutel zelf), of bij aanmelden via "
                                           "de identity provider een hash van het subject")
    subject: str | None = Field(description="Het subject van de identity provider (aanmelden via OpenID Connect)")
    rol: str | None
    actie: str
    advies_id: str | None
    object_id: str | None = Field(description="Een besluit, review of replay waar de regel over gaat")
    status: int | None = Field(description="De HTTP-status van het antwoord (403: geweigerd)")
    adres: str | None
    request_id: str | None


class AuditAntwoord(BaseModel):
    regels: list[AuditRegel]
    volgende: str | None = Field(default=None, description="De volgende bladzijde (oudere regels), als die er is")


# --- saved scenarios (POST/GET /v1/scenarios) ------------------------------------------------------------------
# These models document the scenario format; the service validates a scenario with engine.scenario.scenario_uit,
# whose errors name each place in Dutch (`regels_bij[0].wanneer.signalen`).


class RegelBij(BaseModel):
    """A rule a scenario adds (contract "Rules changed by a scenario")."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Begint met 'scenario.', bijvoorbeeld scenario.ggz_zwaarder")
    wanneer: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Casusveld (pad met punten, of aantal_kinderen, aantal_volwassenen_geteld) -> toetsen: gelijk, "
                    "niet, in, bevat, min, max; zonder: elk huishouden op de route",
        examples=[{"signalen": {"bevat": "ggz"}}])
    dan: dict[str, Any] = Field(description="Een of meer gevolgen: minimum_pakket, onderdeel_uit (met reden), "
                                            "onderdeel_bij, signalering (code, tekst), vrije_trede, maatwerk_bij")
    tekst: str = Field(description="De zin die de uitleg toont als de regel vuurt")
    bron: str = Field(description="De passage waarop de regel steunt, bijvoorbeeld 003 §3.4")


class ScenarioIn(BaseModel):
    """A scenario in the contract's format: a diff on the ruleset in force."""

    model_config = ConfigDict(extra="allow")

    naam: str = Field(description="1-64 tekens: letters, cijfers, punt, liggend streepje of koppelteken",
                      examples=["ruimere-vrije-trede"])
    beschrijving: str | None = None
    vraag: str | None = None
    bron: str | None = None
    peildatum: dt.date | None = None
    parameters: dict[str, Any] = Field(default_factory=dict, description="Parameterpad -> nieuwe waarde")
    regels_uit: list[str] = Field(default_factory=list, description="Regel-id's die het scenario uitzet")
    regels_bij: list[RegelBij] = Field(default_factory=list, description="Regels die het scenario toevoegt")


class ScenarioMaker(BaseModel):
    key_id: str = Field(description="De sleutel (een hash, nooit de sleutel zelf)")
    rol: str


class ScenarioVersie(BaseModel):
    versie: int
    wie: ScenarioMaker
    wanneer: dt.datetime


class OpgeslagenScenario(BaseModel):
    """One saved version of a scenario, with every version of its name (newest first, without their content)."""

    naam: str
    versie: int
    wie: ScenarioMaker
    wanneer: dt.datetime
    scenario: ScenarioIn
    versies: list[ScenarioVersie]


class ScenarioSamenvatting(BaseModel):
    """A saved scenario in the list: its newest version and how many versions it has."""

    naam: str
    versie: int = Field(description="De nieuwste versie")
    aantal_versies: int
    wie: ScenarioMaker
    wanneer: dt.datetime
    beschrijving: str
    vraag: str
    bron: str


class Voorbeeldscenario(BaseModel):
    """A scenario shipped with the project (scenarios/*.yaml): read-only, not versioned."""

    naam: str
    bestand: str
    voorbeeld: Literal[True] = True
    scenario: dict[str, Any]


class ScenarioLijst(BaseModel):
    scenarios: list[ScenarioSamenvatting] = Field(description="Opgeslagen scenario's, nieuwste wijziging eerst")
    voorbeelden: list[Voorbeeldscenario] = Field(description="De voorbeeldscenario's van het project")


class VoorstelScenario(BaseModel):
    """A proposal as a ready scenario (contract "Scenario"): replay it with POST /v1/replay."""

    naam: str
    beschrijving: str
    bron: str
    parameters: dict[str, Any]


class VoorstelKosten(BaseModel):
    """The change of the cost in euros, summed over the compared adviezen (only where a tariff is set)."""

    per_week: float
    looptijd: float
    valuta: Literal["EUR"] = "EUR"


class Voorstel(BaseModel):
    """One single parameter change and what it would do to the agreement with the besluiten."""

    pad: str = Field(description="Het parameterpad, zoals in een scenario")
    huidig: int
    nieuw: int
    tekst: str = Field(description="De wijziging in woorden")
    bron: str
    beleidskeuze: bool = Field(description="De huidige waarde is een beleidskeuze (false: zo staat het in de bron)")
    velden: list[str] = Field(description="Welke van route, perceel en pakket veranderen")
    meer: int | None = Field(description="Besluiten die dan wel overeenkomen en nu niet")
    minder: int | None = Field(description="Besluiten die nu overeenkomen en dan niet")
    overeenkomend_na: int | None
    gewijzigd: int | None = Field(description="Adviezen waarvan route, perceel of pakket verandert")
    uren_per_week: float | None = Field(description="Verandering van de uren per week, opgeteld")
    uren_looptijd: float | None = Field(description="Verandering van de uren over de looptijd, opgeteld")
    kosten: VoorstelKosten | None
    veilig: bool = Field(description="false: huishoudens met acuut gevaar, een hoog risico of intieme terreur "
                                     "krijgen een lichter advies")
    waarschuwingen: list[str]
    scenario: VoorstelScenario


class VoorstellenAntwoord(BaseModel):
    """Proposals from the deviations, over the stored adviezen with their latest besluit; aggregates only (no
    casus id). Counts from 1 up to `minimum_aantal` - 1 are suppressed (null, path in `onderdrukt`)."""

    besluiten: int | None = Field(description="Vergeleken besluiten (het laatste per advies)")
    overeenkomend: int | None = Field(description="Besluiten die nu met het advies overeenkomen")
    afwijkend: dict[str, int | None] = Field(description="Afwijkende besluiten per veld (route, perceel, pakket)")
    meest_afwijkend: list[str]
    voorstellen: list[Voorstel] = Field(description="Beste eerst: veilig voor onveilig, dan de netto winst, dan "
                                                    "de minste verliezen")
    doorzocht: int = Field(description="Hoeveel enkele wijzigingen zijn doorgerekend")
    periode: dict[str, dt.date | None]
    minimum_aantal: int
    onderdrukt: list[str] = Field(default_factory=list)
    vrijgegeven_tot: dt.datetime | None = None


# --- POST /v1/replay: its body in the OpenAPI document ---------------------------------------------------------
# The route reads and parses the upload itself (streamed, off the event loop) and validates it with
# engine.scenario.scenario_uit and engine.casus.parse_casus; these models only document what it accepts, so a
# generated client can send a replay. Like ScenarioIn they are no stricter than the route: a field the route ignores
# is allowed here too.


class ReplayPeriode(BaseModel):
    """Whole days (Europe/Amsterdam) on which the advies was given, both included; either end may be left out."""

    model_config = ConfigDict(extra="forbid")

    van: dt.date | None = Field(default=None, description="Eerste dag (JJJJ-MM-DD)")
    tot: dt.date | None = Field(default=None, description="Laatste dag (JJJJ-MM-DD)")


class ReplayIn(BaseModel):
    """A scenario replayed over the project's casuïstiek (only `scenario`), over uploaded casussen (`casussen`),
    or over the casussen of the stored adviezen (`bron: opgeslagen`, optionally with a `periode`)."""

    model_config = ConfigDict(extra="forbid")

    scenario: ScenarioIn = Field(description="Het scenario, zoals in scenarios/ en bij POST /v1/scenarios")
    casussen: list[Casus] | None = Field(
        default=None, min_length=1, description="Geanonimiseerde casussen; zonder: de casuïstiek van het project. "
        "Niet samen met bron.")
    bron: Literal["opgeslagen"] | None = Field(
        default=None, description="'opgeslagen': de casussen van de opgeslagen adviezen (het nieuwste advies per "
        "casus in de periode), vergeleken met de besluiten. Niet samen met casussen.")
    periode: ReplayPeriode | None = Field(default=None, description="Alleen bij bron 'opgeslagen'")


def replay_body(max_casussen: int, casus: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` for POST /v1/replay: its JSON body as ReplayIn, with an example of each of its three forms
    (`casus`: one library casus), and ReplayIn with the models it uses for the document's components
    (`x-componenten`, moved there by api/app.py)."""
    schema = ReplayIn.model_json_schema(ref_template="#/components/schemas/{model}")
    componenten: dict[str, Any] = schema.pop("$defs", {})
    schema["properties"]["casussen"]["anyOf"][0]["maxItems"] = max_casussen
    componenten["ReplayIn"] = schema
    scenario = {"naam": "intieme-terreur-pakket-3", "beschrijving": "Bij intieme terreur minimaal pakket 3",
                "parameters": {"intieme_terreur.minimum_pakket": 3}}
    voorbeelden = {
        "casuistiek": {"summary": "Over de casuïstiek van het project", "value": {"scenario": scenario}},
        "casussen": {"summary": "Over meegestuurde casussen", "value": {"scenario": scenario, "casussen": [casus]}},
        "opgeslagen": {"summary": "Over de opgeslagen adviezen sinds 1 januari 2026, vergeleken met de besluiten",
                       "value": {"scenario": scenario, "bron": "opgeslagen", "periode": {"van": "2026-01-01"}}},
    }
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ReplayIn"}, "examples": voorbeelden}}},
        "x-componenten": componenten}


# --- GET /v1/advies/{advies_id}/alternatieven ------------------------------------------------------------------


class Alternatief(BaseModel):
    """One smallest single change of the input that changes route, perceel, pakket or vrije trede."""

    veld: str = Field(description="Het invoerveld (pad met punten)")
    waarde: Any = Field(description="De nieuwe waarde van dat veld")
    maat: int = Field(description="Hoe groot de wijziging is (1 = de kleinste)")
    gevolg: dict[str, list[Any]] = Field(description="Per veld van het advies: [nu, dan]")
    tekst: str


class AlternatievenAntwoord(BaseModel):
    advies_id: str
    alternatieven: list[Alternatief] = Field(description="Kleinste wijziging eerst")
    ruleset: RulesetIdentiteit = Field(description="De regels die nu op de peildatum gelden")
    zelfde_regels: bool = Field(description="Dit zijn de regels waarmee het advies is gegeven")


# --- GET /v1/rulesets/{naam}/parameters ------------------------------------------------------------------------


class RulesetParameters(BaseModel):
    naam: str
    versie: str = Field(description="De versie van de regelset die op de peildatum geldt")
    hash: str
    parameters: dict[str, dict[str, Any]] = Field(
        description="Parameterpad -> waarde, bron, beleidskeuze en de datum waarop die waarde geldt (geldig_vanaf)")
