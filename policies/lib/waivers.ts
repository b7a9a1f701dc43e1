/**
 * Waivers: an object waives a named policy with an annotation that says why (and may say until when);
 * a policy's pack config may exempt objects by namespace, name or kind, also with a reason. A waived
 * finding is not reported as a violation, under CrossGuard and offline alike; offline reports list it.
 *
 *   metadata:
 *     annotations:
 *       waiver.voting-platform.io/require-read-only-root-filesystem: "nginx writes its pid to / until 1.27 (expires 2026-09-30)"
 */
import { WAIVER_PREFIX } from "./annotations";
import { today } from "./clock";
import { namespaceOf, nameOf, type K8sObject } from "./k8s";
import type { Setting } from "./rule";

/** The rule that judges waivers themselves: no object may waive it. */
export const WAIVER_RULE = "require-valid-waivers";

/** One pack-config exemption of a policy: objects matching every selector given, with the reason. */
export interface Exemption {
    readonly namespace?: string;
    readonly name?: string;
    readonly kind?: string;
    readonly reason: string;
}

/** Settings every policy takes besides its own: whether objects may waive it, and whom its config exempts. */
export interface WaiverSettings {
    waivable: boolean;
    exempt: Exemption[];
}

export const WAIVER_SETTINGS: { readonly [K in keyof WaiverSettings]: Setting<WaiverSettings[K]> } = {
    waivable: {
        type: "boolean",
        description: `Whether an object may waive this policy with the annotation ${WAIVER_PREFIX}<policy>. A stack's pack config turns it off for policies that must never be waived.`,
        default: true,
    },
    exempt: {
        type: "array",
        items: {
            type: "object",
            properties: {
                namespace: { type: "string", description: "Namespace of the exempted objects." },
                name: { type: "string", description: "Name of the exempted object (a cloud resource's Pulumi name)." },
                kind: { type: "string", description: "Kind of the exempted objects (a cloud resource's type token)." },
                reason: { type: "string", minLength: 1, description: "Why this policy does not apply to them." },
            },
            required: ["reason"],
            minProperties: 2,
            additionalProperties: false,
        },
        description: "Objects this policy does not judge: each entry names a namespace, name and/or kind, and the reason.",
        default: [],
    },
};

/** A waiver annotation as written on an object. */
export interface WaiverAnnotation {
    readonly policy: string;
    readonly annotation: string;
    /** The reason, without the expiry; empty when none was given. */
    readonly reason: string;
    /** The expiry as written, if any. */
    readonly expires?: string;
    /** What makes the waiver void, if anything: no reason, an expiry that is no date, or one that has passed. */
    readonly problem?: string;
}

const EXPIRY = /^([\s\S]*?)\s*\(expires\s+([^)]*)\)\s*$/;
/** Values that copy a peer tool's on/off flag (`polaris.fairwinds.com/...-exempt: "true"`) rather than giving a reason. */
const NO_REASON = /^(|true|false|yes|no|y|n|on|off|1|0|ok|todo|tbd|n\/a|none|-|\.)$/i;

/** Whether `YYYY-MM-DD` names a day of the calendar. */
export function isDate(s: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Parses one annotation value: `<reason>` or `<reason> (expires YYYY-MM-DD)`, judged against today's date. */
export function parseWaiver(policy: string, annotation: string, value: unknown, on = today()): WaiverAnnotation {
    const text = String(value ?? "").trim();
    const m = EXPIRY.exec(text);
    const reason = (m ? m[1] : text).trim();
    const expires = m?.[2].trim();
    let problem: string | undefined;
    if (NO_REASON.test(reason)) {
        problem = `waives ${policy} without a reason; write why as the value of ${annotation}`;
    } else if (expires !== undefined && !isDate(expires)) {
        problem = `waives ${policy} until ${JSON.stringify(expires)}, which is not a date; write (expires YYYY-MM-DD)`;
    } else if (expires !== undefined && expires < on) {
        problem = `waives ${policy} until ${expires}, which has passed; fix the findings or renew the waiver with a new date`;
    }
    return { policy, annotation, reason, ...(expires !== undefined ? { expires } : {}), ...(problem ? { problem } : {}) };
}

/** Every waiver annotation on an object. */
export function waiverAnnotations(obj: K8sObject, on = today()): WaiverAnnotation[] {
    const annotations = obj.metadata?.annotations;
    if (!annotations || typeof annotations !== "object") return [];
    return Object.entries(annotations)
        .filter(([k]) => k.startsWith(WAIVER_PREFIX))
        .map(([k, v]) => parseWaiver(k.slice(WAIVER_PREFIX.length), k, v, on));
}

/** Why a finding is not reported: an object's own waiver, or its policy's pack config. */
export interface Waiver {
    readonly source: "annotation" | "pack config";
    readonly reason: string;
    readonly expires?: string;
}

export type Judgement = { readonly waived: Waiver } | { readonly waived?: undefined; readonly note?: string };

const matches = (e: Exemption, obj: K8sObject) =>
    (e.namespace === undefined || e.namespace === namespaceOf(obj)) &&
    (e.name === undefined || e.name === nameOf(obj)) &&
    (e.kind === undefined || e.kind === obj.kind) &&
    (e.namespace !== undefined || e.name !== undefined || e.kind !== undefined);

/**
 * Whether a policy's findings on an object are waived, under the policy's own config. A waiver that is
 * void (no reason, bad or past expiry) waives nothing; `require-valid-waivers` reports it. A valid
 * waiver of a policy the stack does not let objects waive waives nothing either, and the finding says so.
 */
export function judge(policy: string, config: Partial<WaiverSettings>, obj: K8sObject, on = today()): Judgement {
    const exemption = (Array.isArray(config.exempt) ? config.exempt : []).find((e) => matches(e, obj));
    if (exemption) return { waived: { source: "pack config", reason: exemption.reason } };
    if (policy === WAIVER_RULE) return {};
    const w = waiverAnnotations(obj, on).find((a) => a.policy === policy);
    if (!w || w.problem) return {};
    if (config.waivable === false) return { note: `(its waiver does not apply: this stack's pack config does not let objects waive ${policy})` };
    return { waived: { source: "annotation", reason: w.reason, ...(w.expires ? { expires: w.expires } : {}) } };
}
