/**
 * The status engine: judges every checklist item from evidence, not from what the registry names.
 *
 * An item is `met` only when each kind of evidence its `enforce` column asks for is named and holds:
 * named components are rendered, named verify components render Jobs, named docs exist, every named
 * policy passes on both rendered stacks (each judged with its own pack config), a policy-enforced item
 * has mutants of the rendered prod stack that the pack blocks with a mandatory violation carrying the
 * item's ID, an item about behaviour has rehearsal tests that passed at the commit checked out, and no
 * problem found on review is still listed. An option off in every stack is `optional`.
 */
import * as fs from "fs";
import * as path from "path";
import { describe as describeObject } from "../policies/lib/k8s";
import type { K8sObject } from "../policies/lib/k8s";
import { evaluate, resolveRules, type PackConfig, type ResolvedRule, type Violation } from "../policies/lib/evaluate";
import type { CloudResource } from "../policies/lib/rule";
import { RULES } from "../policies/rules";
import { PACK_CONFIG_DIR, readPackConfig } from "../tools/check";
import { cloudResources, kubernetesObjects, renderStack, type RenderedResource, type RenderResult } from "../tools/lib/render";
import { InputError, PROJECT_ROOT, type StackConfig } from "../tools/lib/stackConfig";
import { MutantError, StackCopy, type Mutant } from "./mutants";
import { currentCheckout, judgeSuite, judgeTest, readTestEvidence, type Checkout, type TestEvidence } from "./rehearsals";
import { fieldOf, policyEnforced, requiredKinds, STACKS, type ChecklistItem, type StackName, type Status } from "./types";

/** What one rendered stack offers as evidence: its resources, and the pack's verdict on them with the stack's pack config. */
export interface StackFacts {
    readonly stack: StackName;
    readonly config: StackConfig;
    readonly resources: readonly RenderedResource[];
    readonly objects: readonly K8sObject[];
    readonly cloud: readonly CloudResource[];
    readonly rules: readonly ResolvedRule[];
    readonly violations: readonly Violation[];
}

/** Runs the pack over a stack's Kubernetes objects and its cloud resources, as `npm run check -- --stack` does. */
export function judgeStack(
    rules: readonly ResolvedRule[],
    stack: { readonly objects: readonly K8sObject[]; readonly cloud: readonly CloudResource[] },
): Violation[] {
    return evaluate(rules, stack.objects, stack.cloud);
}

/** The evidence a rendered stack gives; `objects` replaces the rendered Kubernetes objects (tests change one field). */
export function stackFacts(stack: StackName, render: RenderResult, packConfig: PackConfig, objects = kubernetesObjects(render)): StackFacts {
    const rules = resolveRules(RULES, packConfig);
    // Cloud rules judge what the engine hands stack policies: the inputs plus what the provider fills in (names, ARNs).
    const cloud = cloudResources(render).map((r) => ({ type: r.type, name: r.name, props: r.state }));
    return { stack, config: render.config, resources: render.resources, objects, cloud, rules, violations: judgeStack(rules, { objects, cloud }) };
}

export type MutantOutcome = "blocked" | "not blocked" | "error";

export interface MutantResult {
    readonly item: string;
    readonly mutant: Mutant;
    readonly outcome: MutantOutcome;
    /** New mandatory violations carrying the item's ID. */
    readonly blockers: readonly Violation[];
    /** New advisory violations carrying the item's ID: a warning, not a block. */
    readonly warnings: readonly Violation[];
    readonly error?: string;
}

const violationKey = (v: Violation) => `${v.policy}\u0000${describeObject(v.object)}\u0000${v.message}`;

/**
 * Applies one mutant to a deep copy of the prod stack and runs the pack over it. Blocked: a mandatory
 * violation carrying the item's ID that the unmutated stack does not have.
 */
export function runMutant(itemId: string, mutant: Mutant, prod: StackFacts, baseline = new Set(prod.violations.map(violationKey))): MutantResult {
    const copy = new StackCopy(prod.objects, prod.cloud);
    const before = JSON.stringify([copy.objects, copy.cloud]);
    try {
        mutant.apply(copy);
        if (JSON.stringify([copy.objects, copy.cloud]) === before) throw new MutantError("it changed nothing in the stack");
    } catch (e) {
        const error = e instanceof MutantError ? e.message : `it threw ${(e as Error).stack ?? String(e)}`;
        return { item: itemId, mutant, outcome: "error", blockers: [], warnings: [], error };
    }
    // Only rules carrying the item's ID can block the mutant: the others are not run.
    const rules = prod.rules.filter((r) => r.rule.checklist.includes(itemId));
    const fresh = judgeStack(rules, copy).filter((v) => !baseline.has(violationKey(v)));
    const blockers = fresh.filter((v) => v.level === "mandatory");
    const warnings = fresh.filter((v) => v.level === "advisory");
    return { item: itemId, mutant, outcome: blockers.length > 0 ? "blocked" : "not blocked", blockers, warnings };
}

/** Every mutant declared in the registry, run over the prod stack. */
export function runMutants(items: readonly ChecklistItem[], prod: StackFacts, progress?: (done: number, total: number) => void): MutantResult[] {
    const baseline = new Set(prod.violations.map(violationKey));
    const all = items.flatMap((item) => (item.mutants ?? []).map((m) => [item.id, m] as const));
    return all.map(([id, m], i) => {
        const r = runMutant(id, m, prod, baseline);
        progress?.(i + 1, all.length);
        return r;
    });
}

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

/** One line per mutant: what it did to the stack and what the pack said. */
export function describeMutant(r: MutantResult): string {
    const name = `mutant "${r.mutant.name}"`;
    if (r.outcome === "error") return `${name}: error: ${r.error}`;
    if (r.outcome === "blocked") return `${name}: blocked by ${uniq(r.blockers.map((v) => v.policy)).join(", ")} (mandatory)`;
    const warned = r.warnings.length ? `; only warned by ${uniq(r.warnings.map((v) => v.policy)).join(", ")} (advisory)` : "";
    const why = r.mutant.notBlockedYet ? ` (${r.mutant.notBlockedYet})` : "";
    return `${name}: NOT blocked: no mandatory violation carries ${r.item}${warned}${why}`;
}

/** One check made for an item: what was checked, and whether it held. */
export interface Evidence {
    readonly holds: boolean;
    readonly text: string;
}

export interface ItemReport {
    readonly id: string;
    readonly title: string;
    readonly status: Status;
    readonly evidence: readonly Evidence[];
}

export interface JudgeInputs {
    readonly stacks: Readonly<Record<StackName, StackFacts>>;
    readonly mutants: readonly MutantResult[];
    readonly tests: TestEvidence;
    readonly checkout: Checkout;
    /** Where named docs are looked up. */
    readonly root: string;
}

/** A config value by dotted path (`features.ciliumL7Policies`), as the stack file and Pulumi.yaml defaults give it. */
export function configValue(config: StackConfig, dotted: string): unknown {
    const [top, ...rest] = dotted.split(".");
    const raw = config.values[`${config.project}:${top}`];
    if (raw === undefined) return undefined;
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        value = raw;
    }
    for (const k of rest) value = value && typeof value === "object" ? (value as Record<string, unknown>)[k] : undefined;
    return value;
}

const both = (stacks: readonly string[]) => (stacks.length === STACKS.length ? STACKS.join(" and ") : stacks.join(" and "));

function descendants(resources: readonly RenderedResource[], type: string): RenderedResource[] {
    const roots = resources.filter((r) => r.type === type).map((r) => r.key);
    const inside = new Set(roots);
    const out: RenderedResource[] = [];
    // Parents are registered before their children, so one pass in order finds every descendant.
    for (const r of resources) {
        if (r.parent && inside.has(r.parent)) {
            inside.add(r.key);
            if (r.custom) out.push(r);
        }
    }
    return out;
}

function componentEvidence(type: string, stacks: JudgeInputs["stacks"]): Evidence {
    const rendered = STACKS.filter((s) => stacks[s].resources.some((r) => r.type === type));
    const children = descendants(stacks.prod.resources, type).length;
    if (!rendered.includes("prod")) return { holds: false, text: `component ${type}: not rendered in prod` };
    if (children === 0) return { holds: false, text: `component ${type}: rendered in prod, but creates no resource there` };
    const where = rendered.length === STACKS.length ? both(rendered) : "prod (not staging)";
    return { holds: true, text: `component ${type}: rendered in ${where} (${children} resource${children === 1 ? "" : "s"} in prod)` };
}

function verifyEvidence(type: string, stacks: JudgeInputs["stacks"]): Evidence {
    const jobs = descendants(stacks.prod.resources, type).filter((r) => r.inputs.kind === "Job" || r.inputs.kind === "CronJob");
    if (jobs.length === 0) return { holds: false, text: `verify ${type}: renders no Job in prod` };
    return { holds: true, text: `verify ${type}: renders ${jobs.length} Job(s) in prod` };
}

function docEvidence(doc: string, root: string): Evidence {
    const file = path.join(root, doc);
    if (!fs.existsSync(file)) return { holds: false, text: `doc ${doc}: missing` };
    if (fs.readFileSync(file, "utf8").trim() === "") return { holds: false, text: `doc ${doc}: empty` };
    return { holds: true, text: `doc ${doc}: exists` };
}

function policyEvidence(name: string, stacks: JudgeInputs["stacks"]): Evidence {
    if (!RULES.some((r) => r.name === name)) return { holds: false, text: `policy ${name}: not in the pack` };
    const problems: string[] = [];
    for (const s of STACKS) {
        const facts = stacks[s];
        if (facts.rules.find((r) => r.rule.name === name)?.level === "disabled") {
            problems.push(`disabled on ${s}`);
            continue;
        }
        const found = facts.violations.filter((v) => v.policy === name);
        if (found.length === 0) continue;
        const levels = uniq(found.map((v) => v.level)).join("/");
        problems.push(`${found.length} ${levels} violation(s) on ${s} (${found[0].message})`);
    }
    if (problems.length === 0) return { holds: true, text: `policy ${name}: passes on ${both(STACKS)}` };
    return { holds: false, text: `policy ${name}: ${problems.join("; ")}` };
}

function rehearsalEvidence(item: ChecklistItem, inputs: JudgeInputs): Evidence[] {
    const out: Evidence[] = [];
    for (const s of STACKS) {
        const named = item.rehearsals![s];
        if (typeof named === "string") {
            out.push({ holds: true, text: `rehearsal on ${s}: not applicable (${named})` });
        } else if (named.length === 0) {
            out.push({ holds: false, text: `rehearsal on ${s}: no test named that runs it on ${s}'s path` });
        } else {
            for (const title of named) {
                const t = judgeTest(title, inputs.tests, inputs.checkout);
                out.push({ holds: t.holds, text: `rehearsal on ${s}: ${t.text}` });
            }
        }
    }
    return out;
}

const KIND_WORDS = { infra: "component", policy: "policy", verify: "verify Job", doc: "doc" } as const;

/** Judges one item from the gathered evidence. */
export function judgeItem(item: ChecklistItem, inputs: JudgeInputs): ItemReport {
    const report = (status: Status, evidence: Evidence[]): ItemReport => ({ id: item.id, title: item.title, status, evidence });
    const { stacks } = inputs;

    if (item.option !== undefined) {
        const on = STACKS.filter((s) => configValue(stacks[s].config, item.option!) === true);
        if (on.length === 0) return report("optional", [{ holds: true, text: `option ${item.option}: off in ${both(STACKS)}` }]);
    }

    const evidence: Evidence[] = [];
    for (const kind of requiredKinds(item)) {
        const suite = kind === "infra" && item.met.suite === true;
        if ((item.met[fieldOf(kind)]?.length ?? 0) === 0 && !suite)
            evidence.push({ holds: false, text: `${KIND_WORDS[kind]}: none named; the checklist asks for ${kind}` });
    }
    if (item.met.suite) evidence.push(judgeSuite(inputs.tests, inputs.checkout));
    for (const c of item.met.components ?? []) evidence.push(componentEvidence(c, stacks));
    for (const p of item.met.policies ?? []) evidence.push(policyEvidence(p, stacks));

    const mutants = inputs.mutants.filter((r) => r.item === item.id);
    if (policyEnforced(item) && (item.mutants ?? []).length === 0)
        evidence.push({ holds: false, text: `mutant: none declared; nothing shows the pack blocks a change that breaks ${item.id}` });
    for (const m of item.mutants ?? []) {
        const r = mutants.find((x) => x.mutant === m);
        evidence.push(r ? { holds: r.outcome === "blocked", text: describeMutant(r) } : { holds: false, text: `mutant "${m.name}": not run` });
    }

    for (const v of item.met.verify ?? []) evidence.push(verifyEvidence(v, stacks));
    for (const d of item.met.docs ?? []) evidence.push(docEvidence(d, inputs.root));
    if (item.rehearsals) evidence.push(...rehearsalEvidence(item, inputs));
    for (const p of item.problems ?? []) evidence.push({ holds: false, text: `problem: ${p}` });

    if (evidence.length > 0 && evidence.every((e) => e.holds)) return report("met", evidence);
    if (evidence.some((e) => e.holds)) return report("partial", evidence);
    return report(/optional/.test(item.enforce) ? "optional" : "planned", evidence);
}

export function judgeChecklist(items: readonly ChecklistItem[], inputs: JudgeInputs): ItemReport[] {
    return items.map((item) => judgeItem(item, inputs));
}

/** Renders one stack and runs the pack over it with the stack's own pack config, `policies/config/<stack>.json`. */
export async function renderFacts(stack: StackName, log: (line: string) => void = () => undefined): Promise<StackFacts> {
    const started = Date.now();
    log(`rendering ${stack} and running the pack over it…`);
    const file = path.join(PACK_CONFIG_DIR, `${stack}.json`);
    const packConfig = readPackConfig(file);
    try {
        resolveRules(RULES, packConfig);
    } catch (e) {
        throw new InputError(`${path.relative(PROJECT_ROOT, file)}: ${(e as Error).message}`);
    }
    const facts = stackFacts(stack, await renderStack(stack), packConfig);
    log(`${stack}: ${facts.objects.length} objects, ${facts.violations.length} violation(s) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return facts;
}

/** Runs every mutant of the registry over prod, saying how long it took. */
export function timedMutants(items: readonly ChecklistItem[], prod: StackFacts, log: (line: string) => void = () => undefined): MutantResult[] {
    const started = Date.now();
    const total = items.reduce((n, i) => n + (i.mutants?.length ?? 0), 0);
    log(`running ${total} mutants of prod…`);
    const results = runMutants(items, prod);
    log(`ran ${total} mutants (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return results;
}

/** Renders both stacks, runs the pack over each with its own pack config and every mutant over prod, and reads the test evidence. */
export async function gatherEvidence(items: readonly ChecklistItem[], log: (line: string) => void = () => undefined): Promise<JudgeInputs> {
    const prod = await renderFacts("prod", log);
    const staging = await renderFacts("staging", log);
    const mutants = timedMutants(items, prod, log);
    return { stacks: { prod, staging }, mutants, tests: readTestEvidence(), checkout: currentCheckout(), root: PROJECT_ROOT };
}
