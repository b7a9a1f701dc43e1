/**
 * JSON Schema of Cilium's `cilium.io/v2` CiliumNetworkPolicy, written from Cilium's policy language
 * reference (api.Rule): no Cilium model package supports Node 20. Every object is closed
 * (`additionalProperties: false`), so a misspelt field fails as the API server's strict field
 * validation would reject it; fields this program does not write are listed so that valid policies pass.
 */
const labelSelector = {
    type: "object",
    additionalProperties: false,
    properties: {
        matchLabels: { type: "object", additionalProperties: { type: "string" } },
        matchExpressions: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["key", "operator"],
                properties: {
                    key: { type: "string" },
                    operator: { enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
                    values: { type: "array", items: { type: "string" } },
                },
            },
        },
    },
};

const portProtocol = { enum: ["TCP", "UDP", "SCTP", "ICMP", "ICMPv6", "VRRP", "IGMP", "ANY"] };

const httpRule = {
    type: "object",
    additionalProperties: false,
    properties: {
        method: { type: "string" },
        path: { type: "string" },
        host: { type: "string" },
        headers: { type: "array", items: { type: "string" } },
        headerMatches: { type: "array", items: { type: "object" } },
    },
};

const portRule = {
    type: "object",
    additionalProperties: false,
    properties: {
        ports: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["port"],
                properties: {
                    // A number 0-65535 or a named port, as a string.
                    port: { type: "string", pattern: "^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5]?[0-9]{1,4}|[a-zA-Z0-9-]*)$" },
                    endPort: { type: "integer", minimum: 0, maximum: 65535 },
                    protocol: portProtocol,
                },
            },
        },
        rules: {
            type: "object",
            additionalProperties: false,
            properties: {
                http: { type: "array", items: httpRule },
                kafka: { type: "array", items: { type: "object" } },
                dns: { type: "array", items: { type: "object" } },
                l7proto: { type: "string" },
                l7: { type: "array", items: { type: "object" } },
            },
        },
        terminatingTLS: { type: "object" },
        originatingTLS: { type: "object" },
        serverNames: { type: "array", items: { type: "string" } },
        listener: { type: "object" },
    },
};

const entities = {
    type: "array",
    items: { enum: ["all", "world", "cluster", "host", "remote-node", "kube-apiserver", "init", "health", "unmanaged", "ingress"] },
};
const cidrs = { type: "array", items: { type: "string" } };
const peerRule = (dir: "from" | "to") => ({
    type: "object",
    additionalProperties: false,
    properties: {
        [`${dir}Endpoints`]: { type: "array", items: labelSelector },
        [`${dir}Requires`]: { type: "array", items: labelSelector },
        [`${dir}CIDR`]: cidrs,
        [`${dir}CIDRSet`]: { type: "array", items: { type: "object" } },
        [`${dir}Entities`]: entities,
        [`${dir}Groups`]: { type: "array", items: { type: "object" } },
        [`${dir}Nodes`]: { type: "array", items: labelSelector },
        toPorts: { type: "array", items: portRule },
        icmps: { type: "array", items: { type: "object" } },
        authentication: { type: "object" },
        ...(dir === "to" ? { toServices: { type: "array", items: { type: "object" } }, toFQDNs: { type: "array", items: { type: "object" } } } : {}),
    },
});

export const CILIUM_NETWORK_POLICY_SCHEMA = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    additionalProperties: false,
    properties: {
        apiVersion: { const: "cilium.io/v2" },
        kind: { const: "CiliumNetworkPolicy" },
        metadata: {
            type: "object",
            required: ["name"],
            properties: {
                name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$" },
                namespace: { type: "string" },
                labels: { type: "object", additionalProperties: { type: "string" } },
                annotations: { type: "object", additionalProperties: { type: "string" } },
            },
        },
        spec: {
            type: "object",
            additionalProperties: false,
            oneOf: [{ required: ["endpointSelector"] }, { required: ["nodeSelector"] }],
            properties: {
                endpointSelector: labelSelector,
                nodeSelector: labelSelector,
                ingress: { type: "array", items: peerRule("from") },
                ingressDeny: { type: "array", items: peerRule("from") },
                egress: { type: "array", items: peerRule("to") },
                egressDeny: { type: "array", items: peerRule("to") },
                labels: { type: "array", items: { type: "object" } },
                description: { type: "string" },
                enableDefaultDeny: {
                    type: "object",
                    additionalProperties: false,
                    properties: { ingress: { type: "boolean" }, egress: { type: "boolean" } },
                },
            },
        },
    },
} as const;
