"""Request and response bodies of the HTTP API (the advies mirrors contract.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from engine.persoonsgegevens import geen_persoonsgegevens

__all__ = [
    "Fout", "FoutAntwoord", "AdviesAntwoord", "BesluitIn", "BesluitAntwoord", "ReviewIn", "ReviewStap",
    "ReviewAntwoord", "Afwijkingen", "RulesetInfo", "Gezondheid", "TenOpzichteVanVorige", "CasusAdviezen",
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
    besluiten: int | None
    afwijkend: int | None
    aandeel: float | None
    reviews_oneens: int | None


class Afwijkingen(BaseModel):
    """Aggregates only: how often decisions deviate from the advies, on which field, after which rules. Every
    count from 1 up to `minimum_aantal` - 1 is suppressed (null, its path listed in `onderdrukt`), and so is a
    share computed from one."""

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


class RulesetVersie(BaseModel):
    versie: dt.date
    hash: str


class RulesetInfo(BaseModel):
    naam: str
    versies: list[RulesetVersie]


class Gezondheid(BaseModel):
    status: Literal["ok"]


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
