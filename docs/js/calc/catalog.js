// What the form may offer, read from the catalogue in policies.json (`catalog`,
// written by the engine): its fields and every label are the vocabulary's (vocabulary/),
// so no label, field or rule is kept here. Ids from a URL are
// looked up in Maps, never as plain-object keys ("__proto__", "constructor").

const byId = (list) => new Map((list || []).map((x) => [x.id, x]));
const labelMap = (obj) => new Map(Object.entries(obj || {}));

export class Catalog {
  constructor(catalog) {
    if (!catalog || !Array.isArray(catalog.policies)) throw new Error("policies.json has no catalog");
    this.raw = catalog;
    this.policies = catalog.policies;
    this.byId = byId(catalog.policies);
    const labels = catalog.labels || {};
    this.labels = new Map(Object.entries(labels).map(([name, values]) => [name, labelMap(values)]));
    this.memberFlags = this.labels.get("member_flag") || new Map();
    this.remoteKinds = this.labels.get("remote_kind") || new Map();
    this.remoteReasons = this.labels.get("remote_reason") || new Map();
    this.remoteCare = this.labels.get("remote_care") || new Map();
    // The form's fields (the vocabulary's): name -> {label, kind, key, hint, placeholder, visit, …}.
    this.fields = new Map((catalog.fields || []).map((f) => [f.name, f]));
    this.defaultPolicy = this.byId.has(catalog.default_policy) ? catalog.default_policy : catalog.policies[0]?.id;
    // The working-day calendar's range, in the engine's words (deadlines beyond it count weekends only).
    this.calendarNote = catalog.calendar?.note || null;
  }

  /** The label of an enumeration's id (payer, phase, verdict, view, answer…); the id when unknown. */
  label(enumName, id) {
    return this.labels.get(enumName)?.get(id) ?? id;
  }

  /** A field of the form: its label, kind, share link key, hint… (an empty one for a name it does not know). */
  field(name) {
    return this.fields.get(name) || { name, label: name };
  }

  /** The form's fields that match: e.g. (f) => f.kind === "bool". */
  fieldsWhere(test) {
    return [...this.fields.values()].filter(test);
  }

  /** The policy with this id, or undefined (ids from a link may be anything). */
  policy(id) {
    return this.byId.get(id);
  }

  care(policy, careId) {
    return policy?.care.find((c) => c.id === careId);
  }

  facilityLabel(policy, id) {
    return policy?.facilities.find((f) => f.id === id)?.label ?? id;
  }

  /** Member flags that change something: for this care, or (out-of-region checker) for any care. */
  flagsFor(policy, care) {
    const ids = new Set();
    const cares = care ? [care] : policy?.care || [];
    for (const c of cares) for (const f of c.member_flags || []) ids.add(f);
    return [...this.memberFlags.keys()].filter((f) => ids.has(f)).map((id) => ({ id, label: this.memberFlags.get(id) }));
  }

  /** Out-of-region reasons, kinds and emergency conditions of a policy (the national labels when it lists none). */
  remote(policy) {
    const r = policy?.remote;
    const fromMap = (m) => [...m].map(([id, label]) => ({ id, label }));
    return {
      reasons: r?.reasons?.length ? r.reasons : fromMap(this.remoteReasons),
      kinds: r?.kinds?.length ? r.kinds : fromMap(this.remoteKinds),
      conditions: r?.conditions || [],
    };
  }
}
