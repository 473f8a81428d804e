//! The `--router-auth` variant of the subgraph SDL: the same schema with `@requiresScopes` on
//! every field that carries personal data, naming the roles that may read it.
//!
//! `@requiresScopes` is an enterprise router feature; a router without a licence refuses a
//! supergraph that applies it, so the default `schema.graphql` does not, and routers that do
//! enforce it compose this variant instead. haven checks every permission itself either way.

/// Roles that may read a group's inner life (members, sponsorships, contributions).
const MEMBERS: &[&str] = &[
    "MEMBER",
    "GROUP_LEAD",
    "CITY_COORDINATOR",
    "NETWORK_COORDINATOR",
    "ADMIN",
];
/// Roles that may read contact details, and run a group.
const LEADS: &[&str] = &[
    "GROUP_LEAD",
    "CITY_COORDINATOR",
    "NETWORK_COORDINATOR",
    "ADMIN",
];
/// Roles that may read households (by pseudonym), and register groups.
const COORDINATORS: &[&str] = &["CITY_COORDINATOR", "NETWORK_COORDINATOR", "ADMIN"];
/// Roles that may run networks and their towns.
const NETWORK: &[&str] = &["NETWORK_COORDINATOR", "ADMIN"];
/// Administrators only.
const ADMIN: &[&str] = &["ADMIN"];

/// (type, field, roles): every personal-data field of the API.
const GUARDED: &[(&str, &str, &[&str])] = &[
    ("Query", "sponsorship", MEMBERS),
    ("Query", "me", MEMBERS),
    ("Query", "exportMyData", MEMBERS),
    ("Query", "partnerOrganisations", ADMIN),
    ("Query", "auditLog", ADMIN),
    ("Mutation", "createSponsorGroup", COORDINATORS),
    ("Mutation", "updateSponsorGroup", LEADS),
    ("Mutation", "transitionSponsorGroup", LEADS),
    ("Mutation", "addMembership", LEADS),
    ("Mutation", "updateMembership", LEADS),
    ("Mutation", "leaveGroup", MEMBERS),
    ("Mutation", "updateMyProfile", MEMBERS),
    ("Mutation", "eraseVolunteer", ADMIN),
    ("Mutation", "proposeSponsorship", COORDINATORS),
    ("Mutation", "confirmSponsorship", LEADS),
    ("Mutation", "startSponsorship", LEADS),
    ("Mutation", "closeSponsorship", LEADS),
    ("Mutation", "transitionSponsorship", LEADS),
    ("Mutation", "updateHousehold", COORDINATORS),
    ("Mutation", "recordMilestone", MEMBERS),
    ("Mutation", "undoMilestone", MEMBERS),
    ("Mutation", "logContribution", MEMBERS),
    ("Mutation", "updateContribution", MEMBERS),
    ("Mutation", "deleteContribution", MEMBERS),
    ("Mutation", "createSponsorshipNetwork", ADMIN),
    ("Mutation", "updateSponsorshipNetwork", NETWORK),
    ("Mutation", "createCity", NETWORK),
    ("Mutation", "updateCity", NETWORK),
    ("Mutation", "createCorporateSponsor", COORDINATORS),
    ("Mutation", "updateCorporateSponsor", COORDINATORS),
    ("Mutation", "addSponsorCommitment", LEADS),
    ("Mutation", "updateSponsorCommitment", LEADS),
    ("Mutation", "removeSponsorCommitment", LEADS),
    ("SponsorGroup", "memberships", MEMBERS),
    ("SponsorGroup", "sponsorships", MEMBERS),
    ("SponsorGroup", "contributions", MEMBERS),
    ("Membership", "volunteer", MEMBERS),
    ("Volunteer", "email", LEADS),
    ("Volunteer", "phone", LEADS),
    ("Volunteer", "memberships", MEMBERS),
    ("Sponsorship", "household", COORDINATORS),
    ("Milestone", "sponsorship", MEMBERS),
    ("Contribution", "note", MEMBERS),
    ("Contribution", "volunteer", MEMBERS),
    ("Contribution", "sponsorship", MEMBERS),
];

/// `@requiresScopes(scopes: [["A"], ["B"]])`: any one of the roles suffices.
fn directive(roles: &[&str]) -> String {
    let alternatives: Vec<String> = roles.iter().map(|r| format!("[\"{r}\"]")).collect();
    format!(" @requiresScopes(scopes: [{}])", alternatives.join(", "))
}

/// Adds `@requiresScopes` to the guarded fields of `sdl` (as exported by async-graphql: one
/// field per line, arguments inline, types opened by `type Name … {`).
pub fn apply(sdl: &str) -> String {
    let mut out = String::with_capacity(sdl.len() + 4096);
    let mut current: Option<&str> = None;
    for line in sdl.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed
            .strip_prefix("type ")
            .or_else(|| trimmed.strip_prefix("extend type "))
        {
            current = rest.split([' ', '{']).next();
        } else if trimmed.starts_with('}') {
            current = None;
        }
        out.push_str(line);
        if let Some(ty) = current {
            let name = trimmed.split(['(', ':']).next().unwrap_or("").trim();
            let guarded = GUARDED.iter().find(|(t, f, _)| *t == ty && *f == name);
            if let Some((_, _, roles)) =
                guarded.filter(|_| trimmed.contains(':') && !trimmed.starts_with("\"\"\""))
            {
                out.push_str(&directive(roles));
            }
        }
        out.push('\n');
    }
    out
}

/// The guarded (type, field) pairs, for tests.
pub fn guarded_fields() -> impl Iterator<Item = (&'static str, &'static str)> {
    GUARDED.iter().map(|(t, f, _)| (*t, *f))
}
