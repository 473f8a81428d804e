//! Deterministic generators shared by the data sets: ids, dates, picks and fictional names.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

/// A seeded random source: the same seed gives the same data set.
pub struct Gen(pub fastrand::Rng);

impl Gen {
    pub fn new(seed: u64) -> Self {
        Self(fastrand::Rng::with_seed(seed))
    }

    /// A random (version 4) UUID drawn from the seeded source.
    pub fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.0.u128(..).to_le_bytes()).into_uuid()
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.usize(..items.len())]
    }

    /// A date in `[from, from + days)`.
    pub fn date_within(&mut self, from: NaiveDate, days: u64) -> NaiveDate {
        from + Days::new(self.0.u64(..days.max(1)))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }
}

/// Midday UTC of `d`, for audit timestamps of seeded rows.
pub fn at_noon(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
        .and_utc()
}

/// A calendar date; the inputs are constants of the data sets.
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Fictional first names, Dutch and otherwise.
pub const FIRST_NAMES: &[&str] = &[
    "Anouk", "Bram", "Claire", "Daan", "Eva", "Floor", "Gijs", "Hanna", "Iris", "Joost", "Karin",
    "Lars", "Maud", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sanne", "Thijs", "Ursula",
    "Vera", "Wouter", "Yara", "Zeynep", "Ahmed", "Fatima", "Mila", "Sem", "Noor", "Jasper",
    "Lotte", "Ruben", "Femke", "Stijn", "Ilse", "Tom", "Marit", "Koen", "Esther",
];

/// Fictional family names.
pub const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "van den Berg",
    "Yilmaz",
    "El Amrani",
    "Kowalski",
    "Schouten",
];

/// Languages volunteers speak besides Dutch (ISO 639-1).
pub const VOLUNTEER_LANGUAGES: &[&str] = &["en", "de", "fr", "ar", "tr", "uk", "es", "pl"];

/// Languages of newcomer households (ISO 639-1).
pub const NEWCOMER_LANGUAGES: &[&str] =
    &["ar", "ti", "fa", "ps", "so", "ku", "uk", "ru", "en", "fr"];

/// Skills volunteers bring.
pub const SKILLS: &[&str] = &[
    "administration",
    "language-coaching",
    "driving",
    "carpentry",
    "job-coaching",
    "cooking",
    "finance",
    "healthcare",
    "education",
    "legal",
    "it",
    "translation",
];

/// Parts of sponsor group names.
pub const GROUP_NAMES: &[&str] = &[
    "Buren",
    "Centrum",
    "Oost",
    "West",
    "Noord",
    "Zuid",
    "Welkom",
    "Thuis",
    "De Brug",
    "Samen Sterk",
    "Open Deur",
    "Nieuwe Buren",
    "Haven",
    "Kompas",
    "Vriendenkring",
    "Het Anker",
];

/// Pseudonyms for newcomer households: trees and plants, never names of people.
pub const PSEUDONYMS: &[&str] = &[
    "Olijf",
    "Ceder",
    "Linde",
    "Eik",
    "Berk",
    "Wilg",
    "Iep",
    "Esdoorn",
    "Kastanje",
    "Hazelaar",
    "Vlier",
    "Jasmijn",
    "Lavendel",
    "Tijm",
    "Salie",
    "Munt",
    "Roos",
    "Lelie",
    "Klaproos",
    "Zonnebloem",
];

/// Sectors of corporate sponsors.
pub const SECTORS: &[&str] = &[
    "construction",
    "retail",
    "technology",
    "logistics",
    "hospitality",
    "finance",
    "healthcare",
    "education",
    "energy",
    "manufacturing",
];
