import { connectionId, expandFlow, flowMatches, modelOf, parseFlow, reachable, type MatrixConfig } from "../../policies/lib/matrix";
import type { Connection } from "../../policies/lib/reachability";
import type { K8sObject } from "../../policies/lib/k8s";

export interface EffectiveMatrix {
    readonly connections: readonly (Connection & { declared: boolean })[];
    /** Declared flows the policies do not allow. */
    readonly missing: readonly Connection[];
}

/** What the NetworkPolicies allow, marked against the declared matrix, sorted for stable output. */
export function effectiveMatrix(objects: readonly K8sObject[], matrix: MatrixConfig): EffectiveMatrix {
    const model = modelOf(objects, matrix);
    const declared = matrix.allowed.map(parseFlow);
    const found = reachable(model);
    const foundIds = new Set(found.map(connectionId));
    const sort = <T extends Connection>(list: T[]) => list.sort((a, b) => connectionId(a).localeCompare(connectionId(b)));
    return {
        connections: sort(found.map((c) => ({ ...c, declared: declared.some((d) => flowMatches(d, c)) }))),
        missing: sort(declared.flatMap((d) => expandFlow(model, d)).filter((c) => !foundIds.has(connectionId(c)))),
    };
}

/** The matrix as a text table for `npm run check`. */
export function matrixTable(m: EffectiveMatrix): string[] {
    const rows = [
        ...m.connections.map((c) => [c.from, c.to, `${c.port}/${c.protocol}`, c.declared ? "allowed (declared)" : "ALLOWED, NOT DECLARED"]),
        ...m.missing.map((c) => [c.from, c.to, `${c.port}/${c.protocol}`, "DENIED, BUT DECLARED"]),
    ];
    const head = ["FROM", "TO", "PORT", "VERDICT"];
    const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
    const line = (r: string[]) =>
        r
            .map((c, i) => c.padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    return [
        `Effective traffic matrix (${m.connections.length} reachable, ${m.missing.length} declared but denied):`,
        line(head),
        ...rows.map(line),
        "",
    ];
}

const nodeId = (id: string) => id.replace(/[^A-Za-z0-9]/g, "_");

/** The matrix as a Mermaid flowchart: namespaces as subgraphs, reachable connections as labelled edges. */
export function matrixMermaid(m: EffectiveMatrix): string {
    const pods = [...new Set([...m.connections, ...m.missing].flatMap((c) => [c.from, c.to]))].sort();
    const byNs = new Map<string, string[]>();
    for (const p of pods) {
        const ns = p.split("/")[0];
        if (!byNs.has(ns)) byNs.set(ns, []);
        byNs.get(ns)!.push(p);
    }
    const lines = ["flowchart LR"];
    for (const [ns, members] of byNs) {
        lines.push(`    subgraph ${nodeId(ns)}["${ns}"]`);
        for (const p of members) lines.push(`        ${nodeId(p)}["${p.split("/")[1]}"]`);
        lines.push("    end");
    }
    const edges = new Map<string, string[]>();
    for (const c of m.connections) {
        const k = `${nodeId(c.from)} --> ${nodeId(c.to)}`;
        if (!edges.has(k)) edges.set(k, []);
        edges.get(k)!.push(`${c.port}/${c.protocol}${c.declared ? "" : " undeclared"}`);
    }
    for (const [k, ports] of edges) {
        const [from, to] = k.split(" --> ");
        lines.push(`    ${from} -->|"${ports.join(", ")}"| ${to}`);
    }
    for (const c of m.missing) lines.push(`    ${nodeId(c.from)} -.->|"${c.port}/${c.protocol} declared, denied"| ${nodeId(c.to)}`);
    return lines.join("\n") + "\n";
}
