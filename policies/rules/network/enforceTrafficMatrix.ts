import {
    connectionId,
    expandFlow,
    flowAnchor,
    FLOW_PATTERN,
    flowMatches,
    judgeFlow,
    modelOf,
    OUTSIDE_PEER_SCHEMA,
    parseFlow,
    reachable,
    type MatrixConfig,
} from "../../lib/matrix";
import { defineRule, type Finding } from "../../lib/rule";

/**
 * Checklist 1.2.4, 1.2.5, 1.4.4, 7.4.5: what the NetworkPolicies actually allow, evaluated against the pods,
 * equals the declared matrix: every declared flow reachable, the named denied flows and (strict) everything
 * else unreachable.
 */
export const enforceTrafficMatrix = defineRule<MatrixConfig>({
    scope: "stack",
    name: "enforce-traffic-matrix",
    description:
        "The connections the NetworkPolicies allow between the stack's pods (and the declared outside peers) are exactly the declared traffic matrix.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "For a declared flow that is denied, add the egress rule at the source and the ingress rule at the destination, with the destination container's port; for an undeclared flow that is allowed, narrow the rule that allows it (or declare the flow).",
    checklist: ["1.2.4", "1.2.5", "1.4.4", "7.4.5"],
    settings: {
        outside: {
            type: "array",
            items: OUTSIDE_PEER_SCHEMA,
            description: "Pods outside the stack that flows name: {id, namespace, labels, ports}.",
            default: [],
        },
        allowed: {
            type: "array",
            items: { type: "string", pattern: FLOW_PATTERN },
            description: 'Flows that must be reachable, "ns/name -> ns/name:port/TCP"; a name ending in * matches names that start with the rest.',
            default: [],
        },
        denied: { type: "array", items: { type: "string", pattern: FLOW_PATTERN }, description: "Flows that must not be reachable.", default: [] },
        strict: { type: "boolean", description: "Refuse every reachable connection that is not declared.", default: false },
    },
    check: (objects, cfg) => {
        if (cfg.allowed.length === 0 && cfg.denied.length === 0) return [];
        const model = modelOf(objects, cfg);
        const out: Finding[] = [];
        const allowed = cfg.allowed.map(parseFlow);
        for (const c of allowed.flatMap((d) => expandFlow(model, d))) {
            const v = judgeFlow(model, c);
            if (!v.allowed) out.push({ object: flowAnchor(objects, c), message: `${connectionId(c)} is declared but denied: ${v.reason}` });
        }
        const denied = cfg.denied.map(parseFlow);
        for (const c of denied.flatMap((d) => expandFlow(model, d))) {
            if (judgeFlow(model, c).allowed)
                out.push({ object: flowAnchor(objects, c), message: `${connectionId(c)} must be denied but is allowed` });
        }
        if (cfg.strict) {
            for (const c of reachable(model)) {
                if (!allowed.some((d) => flowMatches(d, c)) && !denied.some((d) => flowMatches(d, c)))
                    out.push({ object: flowAnchor(objects, c), message: `${connectionId(c)} is allowed but not declared in the traffic matrix` });
            }
        }
        return out;
    },
});
