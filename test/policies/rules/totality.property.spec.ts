import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { evaluate, resolveRules, type PackConfig, type Violation } from "../../../policies/lib/evaluate";
import { nameOf, type K8sObject } from "../../../policies/lib/k8s";
import { RULES } from "../../../policies/rules";
import { T } from "../../../policies/lib/cloud";
import type { CloudResource } from "../../../policies/lib/rule";
import { cloudResources } from "../../../tools/lib/render";
import { toReported } from "../../../tools/lib/report";
import { PROJECT_ROOT } from "../../../tools/lib/stackConfig";
import { sampleObjects } from "../../helpers/kinds";
import { rendered } from "../../helpers/render";

/*
 * Every rule must read any JSON value in any field without throwing: objects shaped like each kind the
 * rules read, with random fields replaced by arbitrary JSON (null, lists of null, numbers where strings
 * go, keys such as __proto__ and toString), are judged by every rule under each pack config. Each
 * violation must name the object it is reported on.
 */

const NASTY_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "length", "0", "name", "kind", "port"];
const NASTY_STRINGS = [
    "",
    "*",
    "*/exec",
    "pods/*",
    "@latest",
    "sha256:",
    "system:",
    "1e400",
    "-1",
    "8080",
    "http",
    "Always",
    "Unconfined",
    "__proto__",
];

const key = fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 5 }));
const { json } = fc.letrec((tie) => ({
    json: fc.oneof(
        { depthSize: "small", maxDepth: 4 },
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: -70000, max: 70000 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.string({ maxLength: 8 }),
        fc.constantFrom(...NASTY_STRINGS),
        fc.array(tie("json"), { maxLength: 3 }),
        fc.dictionary(key, tie("json"), { maxKeys: 3 }),
    ),
}));

type Path = (string | number)[];

/** Every path to a value inside an object, the root excluded. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
    if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            const p = [...prefix, Array.isArray(value) ? Number(k) : k];
            out.push(p);
            paths(v, p, out);
        }
    }
    return out;
}

function setAt(obj: any, p: Path, value: unknown): void {
    let cur = obj;
    for (const k of p.slice(0, -1)) {
        if (!cur || typeof cur !== "object") return;
        cur = cur[k];
    }
    if (cur && typeof cur === "object") Object.defineProperty(cur, p[p.length - 1], { value, enumerable: true, writable: true, configurable: true });
}

const SAMPLES = sampleObjects();

/** A sample of one kind with up to four fields replaced by arbitrary JSON (the kind itself kept: the loader requires it). */
const mutated = fc
    .integer({ min: 0, max: SAMPLES.length - 1 })
    .chain((i) => {
        const base = SAMPLES[i];
        const all = paths(base).filter((p) => p.join(".") !== "kind");
        return fc.record({
            i: fc.constant(i),
            changes: fc.array(fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), json), { minLength: 1, maxLength: 4 }),
            all: fc.constant(all),
        });
    })
    .map(({ i, changes, all }) => {
        const obj = JSON.parse(JSON.stringify(SAMPLES[i]));
        for (const [at, value] of changes) setAt(obj, all[at], value);
        return obj as K8sObject;
    });

/** An object of a known kind whose every other top-level field is arbitrary. */
const arbitrary = fc
    .record({ kind: fc.constantFrom(...new Set(SAMPLES.map((s) => s.kind))), fields: fc.dictionary(key, json, { maxKeys: 4 }) })
    .map(({ kind, fields }) => {
        const obj: any = {};
        for (const [k, v] of Object.entries(fields))
            Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        obj.kind = kind;
        return obj as K8sObject;
    });

const object = fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary });

const packConfig = (name: string): PackConfig => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "config", `${name}.json`), "utf8"));
const CONFIGS = {
    defaults: resolveRules(RULES),
    prod: resolveRules(RULES, packConfig("prod")),
    generic: resolveRules(RULES, packConfig("generic")),
};

function assertNamesItsObject(v: Violation, set: readonly K8sObject[]): void {
    assert.ok(typeof v.message === "string" && v.message.length > 0, `${v.policy}: empty message`);
    const reported = toReported(v, "f.yaml");
    assert.strictEqual(typeof reported.kind, "string", `${v.policy}: kind ${String(reported.kind)}`);
    assert.strictEqual(typeof reported.name, "string", `${v.policy}: name ${String(reported.name)}`);
    assert.ok(reported.namespace === null || typeof reported.namespace === "string", `${v.policy}: namespace ${String(reported.namespace)}`);
    if (set.includes(v.object)) {
        // A finding about a namespace may be reported on one of its objects: then it names the namespace.
        assert.ok(
            v.message.includes(nameOf(v.object)) || (reported.namespace !== null && v.message.includes(reported.namespace)),
            `${v.policy}: "${v.message}" does not name the object it is reported on (${reported.kind} ${reported.name})`,
        );
    } else {
        // Otherwise it is a stand-in for something the pack config declares and the set lacks.
        assert.ok(["Namespace", "Deployment"].includes(v.object.kind), `${v.policy}: reported on a ${v.object.kind} outside the set`);
    }
}

describe("every rule on arbitrary input (property)", () => {
    for (const [name, resolved] of Object.entries(CONFIGS)) {
        it(`judges any object of any kind without throwing, and names it in each message (${name} pack config)`, () => {
            let reported = 0;
            fc.assert(
                fc.property(object, (obj) => {
                    const found = evaluate(resolved, [obj]);
                    for (const v of found) assertNamesItsObject(v, [obj]);
                    reported += found.length;
                }),
                { numRuns: 1500, seed: 11 },
            );
            assert.ok(reported > 1000, `only ${reported} violations: the generator must reach the rules`);
        });

        it(`judges sets of arbitrary objects alongside compliant ones without throwing (${name} pack config)`, () => {
            fc.assert(
                fc.property(fc.array(object, { minLength: 1, maxLength: 6 }), fc.subarray(sampleObjects()), (objs, others) => {
                    const set = [...objs, ...others];
                    for (const v of evaluate(resolved, set)) assertNamesItsObject(v, set);
                }),
                { numRuns: 400, seed: 12 },
            );
        });
    }

    it("judges any cloud resource without throwing, and names it in each message", async () => {
        const real: CloudResource[] = cloudResources(await rendered("prod")).map((r) => ({ type: r.type, name: r.name, props: r.state }));
        const types = [...new Set(Object.values(T).flat())];
        /** The prod stack's cloud resources with a few fields replaced, plus resources of every type the cloud rules read with arbitrary props. */
        const resources = fc.oneof(
            fc
                .tuple(fc.integer({ min: 0, max: real.length - 1 }), fc.array(fc.tuple(fc.nat(), json), { minLength: 1, maxLength: 4 }))
                .map(([i, changes]) => {
                    const set: CloudResource[] = JSON.parse(JSON.stringify(real));
                    const all = paths(set[i].props);
                    for (const [at, value] of changes) {
                        if (all.length === 0) set[i] = { ...set[i], props: { value } };
                        else setAt(set[i].props, all[at % all.length], value);
                    }
                    return set;
                }),
            fc
                .array(
                    fc.record({
                        type: fc.constantFrom(...types),
                        name: fc.string({ minLength: 1, maxLength: 6 }),
                        props: fc.dictionary(key, json, { maxKeys: 5 }),
                    }),
                    {
                        minLength: 1,
                        maxLength: 6,
                    },
                )
                .map((list) => list as CloudResource[]),
        );
        const cloudRules = resolveRules(RULES.filter((r) => r.scope === "cloud"));
        let reported = 0;
        fc.assert(
            fc.property(resources, (set) => {
                for (const v of evaluate(cloudRules, [], set)) {
                    assert.ok(v.resource && set.includes(v.resource), `${v.policy}: reported on a resource outside the set`);
                    assert.ok(v.message.includes(v.resource.name), `${v.policy}: "${v.message}" does not name ${v.resource.name}`);
                    reported++;
                }
            }),
            { numRuns: 800, seed: 13 },
        );
        assert.ok(reported > 500, `only ${reported} violations: the generator must reach the cloud rules`);
    });
});
