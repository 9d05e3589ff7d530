// What the form may offer, read from the catalogue of the policy data (`catalog`,
// written by the engine): the index's list of every policy (`catalog.index`, for the
// region picker) and, for each region added, its policies' full entries. Its fields and
// every label are the vocabulary's (vocabulary/), so no label, field or rule is kept here.
// Ids from a URL are looked up in Maps, never as plain-object keys ("__proto__", "constructor").

const byId = (list) => new Map((list || []).map((x) => [x.id, x]));
const labelMap = (obj) => new Map(Object.entries(obj || {}));

export class Catalog {
  constructor(catalog, regionBytes = 0) {
    if (!catalog || !Array.isArray(catalog.index)) throw new Error("the policy data has no catalogue");
    this.raw = catalog;
    this.policies = catalog.index;          // every policy: id, title, region, names, pinyin
    this.entries = byId(catalog.index);
    this.regionBytes = regionBytes;          // about what keeping every region offline downloads
    this.byId = byId(catalog.policies);     // the full entries of the regions added so far
    const labels = catalog.labels || {};
    this.labels = new Map(Object.entries(labels).map(([name, values]) => [name, labelMap(values)]));
    this.memberFlags = this.labels.get("member_flag") || new Map();
    this.remoteKinds = this.labels.get("remote_kind") || new Map();
    this.remoteReasons = this.labels.get("remote_reason") || new Map();
    this.remoteCare = this.labels.get("remote_care") || new Map();
    // The form's fields (the vocabulary's): name -> {label, kind, key, hint, placeholder, visit, …}.
    this.fields = new Map((catalog.fields || []).map((f) => [f.name, f]));
    this.defaultPolicy = this.entries.has(catalog.default_policy) ? catalog.default_policy : catalog.index[0]?.id;
    // The working-day calendar's range, in the engine's words (deadlines beyond it count weekends only).
    this.calendarNote = catalog.calendar?.note || null;
  }

  /** A region's part added: its policies' full entries (the form offers their choices). */
  addRegion(part) {
    for (const entry of part.catalog || []) this.byId.set(entry.id, entry);
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

  /** The full entry of a policy whose region is added, or undefined (ids from a link may be anything). */
  policy(id) {
    return this.byId.get(id);
  }

  /** The picker's entry of any policy of the index, or undefined. */
  entry(id) {
    return this.entries.get(id);
  }

  /** The regions, each once: {id, name, province, pinyin, initials, policies: [entries]}, in the index's order. */
  regions() {
    if (this._regions) return this._regions;
    const out = new Map();
    for (const p of this.policies) {
      if (!out.has(p.region)) {
        out.set(p.region, { id: p.region, name: p.region_name, province: p.province || p.region_name,
          pinyin: p.pinyin || "", initials: p.initials || "", policies: [] });
      }
      out.get(p.region).policies.push(p);
    }
    this._regions = [...out.values()];
    return this._regions;
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
