//! Who may see and change what: the one place that decides.
//!
//! docs/domain.md's table of who may see what is written down here once, as data:
//! - [`table::TYPES`] gives every type that holds personal data a rule for its rows, and every
//!   field that can show personal data (or change anything) a [`Rule`]. Every field of a personal
//!   type is listed, so a new one cannot be added without a decision; a test walks the schema and
//!   fails on a field that has none.
//! - [`allows`] says whether a viewer's role and scope pass a rule where the data lives.
//! - [`check`] is what resolvers, `_entities`, root fields and mutations call: it finds where
//!   a row lives (its group, town, network, volunteer) through the request's loaders and answers
//!   `FORBIDDEN` (or `UNAUTHENTICATED`) with the table's wording.
//! - [`area`] limits the lists a coordinator may ask for to their town or network.
//! - The `--router-auth` SDL's `@requiresScopes` come from the same table ([`roles`]).
//!
//! **A new field**: if it can show anything about a person or a household, add it to its type
//! in [`table`] with the narrowest rule that fits, and call [`check::require`] with
//! `rule!(Type.field)` in its resolver. A field of a personal type that only shows what its
//! parent already showed goes in the type's `with_parent` list.

pub mod area;
pub mod check;
pub mod table;

use crate::auth::{Role, Viewer};
use uuid::Uuid;

/// What a viewer needs to see a row or field, or to make a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, partners and anonymous viewers included.
    Public,
    /// A group's inner life: its members and leads, its town's and network's coordinators.
    Members,
    /// Contact details: the volunteer, the leads of the group they were reached through, and
    /// administrators.
    Contacts,
    /// Households (by pseudonym): coordinators of their town or network.
    Households,
    /// Running a group: its leads, its town's and network's coordinators.
    Lead,
    /// Coordinating a town: its coordinators and its network's.
    Coordinate,
    /// Running a network: its coordinators.
    Network,
    /// Running what the data is scoped to: a group's leads, a town's coordinators, a network's
    /// coordinators, administrators when it has no scope (a company's pledges).
    Run,
    /// Any coordinator, of a town or a network (companies are national).
    AnyCoordinator,
    /// The volunteer themself, whatever their role (`UNAUTHENTICATED` without a volunteer).
    Own,
    /// The volunteer themself and administrators.
    OwnOrAdmin,
    /// Administrators only.
    Admin,
    /// Suppressed aggregates: partner keys with the `aggregates` scope, and administrators.
    Aggregates,
}

/// Where a row or field lives. Filled from the data by [`check`]; what is not known is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub group: Option<Uuid>,
    pub city: Option<Uuid>,
    pub network: Option<Uuid>,
    /// The volunteer the data is about.
    pub volunteer: Option<Uuid>,
}

/// The scope a partner key needs to read suppressed aggregates (what `haven apikey create`
/// gives by default).
pub const AGGREGATES: &str = "aggregates";

/// Whether `viewer` passes `rule` for data in `scope`. Administrators pass every rule but
/// [`Rule::Own`]; partners pass [`Rule::Public`] and, with their scope, [`Rule::Aggregates`];
/// anonymous viewers pass only [`Rule::Public`].
pub fn allows(viewer: &Viewer, rule: Rule, scope: &Scope) -> bool {
    if rule == Rule::Public {
        return true;
    }
    if rule == Rule::Aggregates {
        return match viewer {
            Viewer::Partner { scopes, .. } => scopes.iter().any(|s| s == AGGREGATES),
            Viewer::User { role, .. } => *role == Role::Admin,
            Viewer::Anonymous => false,
        };
    }
    let Viewer::User {
        role,
        subject,
        network,
        city,
        groups,
    } = viewer
    else {
        return false;
    };
    let own = subject.is_some() && *subject == scope.volunteer;
    let in_group = scope.group.is_some_and(|g| groups.contains(&g));
    let in_city = city.is_some() && *city == scope.city;
    let in_network = network.is_some() && *network == scope.network;
    let coordinates = match role {
        Role::CityCoordinator => in_city,
        Role::NetworkCoordinator => in_network,
        _ => false,
    };
    let admin = *role == Role::Admin;
    match rule {
        Rule::Public => true,
        Rule::Own => own,
        Rule::OwnOrAdmin => own || admin,
        Rule::Admin | Rule::Aggregates => admin,
        Rule::Contacts => own || admin || (*role == Role::GroupLead && in_group),
        Rule::Members => {
            admin || coordinates || (matches!(role, Role::Member | Role::GroupLead) && in_group)
        }
        Rule::Households | Rule::Coordinate => admin || coordinates,
        Rule::Lead => admin || coordinates || (*role == Role::GroupLead && in_group),
        Rule::Network => admin || (*role == Role::NetworkCoordinator && in_network),
        Rule::AnyCoordinator => {
            matches!(
                role,
                Role::Admin | Role::CityCoordinator | Role::NetworkCoordinator
            )
        }
        Rule::Run => match scope {
            Scope { group: Some(_), .. } => allows(viewer, Rule::Lead, scope),
            Scope { city: Some(_), .. } => allows(viewer, Rule::Coordinate, scope),
            Scope {
                network: Some(_), ..
            } => allows(viewer, Rule::Network, scope),
            _ => admin,
        },
    }
}

/// The roles that pass `rule` somewhere (their own group, town, network or person): what the
/// router's `@requiresScopes` may ask of a token before haven checks the scope itself.
pub fn roles(rule: Rule) -> Vec<Role> {
    let here = Some(Uuid::nil());
    let scope = Scope {
        group: here,
        city: here,
        network: here,
        volunteer: here,
    };
    ALL_ROLES
        .into_iter()
        .filter(|role| {
            let viewer = Viewer::User {
                role: *role,
                subject: here,
                network: here,
                city: here,
                groups: vec![Uuid::nil()],
            };
            allows(&viewer, rule, &scope)
        })
        .collect()
}

/// Every role, from the least to the most trusted.
pub const ALL_ROLES: [Role; 5] = [
    Role::Member,
    Role::GroupLead,
    Role::CityCoordinator,
    Role::NetworkCoordinator,
    Role::Admin,
];

/// The rule of one field (or, with `field` empty, of a type's rows): for `case`, when a
/// field's rule depends on what it is asked to do (empty for the usual one), and what a refusal
/// calls the data or the change.
#[derive(Debug, Clone, Copy)]
pub struct FieldRule {
    pub ty: &'static str,
    pub field: &'static str,
    pub case: &'static str,
    pub rule: Rule,
    pub what: &'static str,
}

/// A GraphQL type's policy: the rule of its rows, the fields that show no more than the row
/// itself, and the fields with a rule of their own.
#[derive(Debug, Clone, Copy)]
pub struct TypePolicy {
    pub ty: &'static str,
    pub row: FieldRule,
    pub with_parent: &'static [&'static str],
    pub fields: &'static [FieldRule],
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The rule of `ty.field` (`case`), or of `ty`'s rows when `field` is empty. Used in constants
/// through [`rule!`], so that a rule that is not in the table fails the build.
pub const fn find(ty: &str, field: &str, case: &str) -> &'static FieldRule {
    let mut t = 0;
    while t < table::TYPES.len() {
        let policy = &table::TYPES[t];
        if same(policy.ty, ty) {
            if field.is_empty() {
                return &policy.row;
            }
            let mut f = 0;
            while f < policy.fields.len() {
                let rule = &policy.fields[f];
                if same(rule.field, field) && same(rule.case, case) {
                    return rule;
                }
                f += 1;
            }
        }
        t += 1;
    }
    panic!("no policy for this field: add it to policy::table")
}

/// The rule of a field, `rule!(Type.field)` or `rule!(Type.field[case])`, or of a type's
/// rows, `rule!(Type)`; checked when the crate builds.
macro_rules! rule {
    ($ty:ident) => {{
        const RULE: &$crate::policy::FieldRule = $crate::policy::find(stringify!($ty), "", "");
        RULE
    }};
    ($ty:ident . $field:ident) => {{
        const RULE: &$crate::policy::FieldRule =
            $crate::policy::find(stringify!($ty), stringify!($field), "");
        RULE
    }};
    ($ty:ident . $field:ident [ $case:ident ]) => {{
        const RULE: &$crate::policy::FieldRule =
            $crate::policy::find(stringify!($ty), stringify!($field), stringify!($case));
        RULE
    }};
}
pub(crate) use rule;
