import { parser } from "@prometheus-io/lezer-promql";

export interface ParsedPromQL {
    /** Where the parser found a syntax error, as character offsets; empty when the expression is valid. */
    readonly errors: number[];
    /** Metric names the expression selects. */
    readonly metrics: string[];
}

/** Parses PromQL with Prometheus's own grammar (the one its UI uses) and lists the metrics it selects. */
export function parsePromQL(expr: string): ParsedPromQL {
    const errors: number[] = [];
    const metrics: string[] = [];
    parser.parse(expr).iterate({
        enter(node) {
            if (node.type.isError) errors.push(node.from);
            if (node.name === "VectorSelector") {
                const id = node.node.getChild("Identifier");
                if (id) metrics.push(expr.slice(id.from, id.to));
            }
        },
    });
    return { errors, metrics };
}
