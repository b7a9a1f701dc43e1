import { describe, record, records, text, strings } from "../../lib/k8s";
import { boundRole } from "../../lib/rbac";
import { subjectsOf } from "../../lib/rbac";
import { defineRule, type Finding } from "../../lib/rule";

export interface ReadOnlyConfig {
    /** Subjects (`Group:voting-developers`) that may only read. */
    readOnlySubjects: string[];
    /** Verbs that only read. */
    readVerbs: string[];
    /** Core resources a read-only subject may not touch at all: Secrets hold values, the others open a shell or a tunnel. */
    forbiddenResources: string[];
}

/** The built-in ClusterRoles that only read (view has no Secrets); admin, edit and cluster-admin write. */
const READ_ONLY_BUILT_INS = ["view"];

/** Whether a rule's resource entry covers a resource name, with RBAC's wildcards (`*`, `*\/exec`). */
function covers(entry: string, resource: string): boolean {
    const slash = resource.indexOf("/");
    return entry === "*" || entry === resource || (slash !== -1 && entry === `*${resource.slice(slash)}`);
}

/**
 * Checklist 6.5.1, 4.4.1, 4.4.2: developers read and nothing more: only get, list and watch, and not even
 * those on Secrets (whose values they would read) or on exec, attach, port-forward and proxy (a GET
 * opens them). Judged on every binding of a read-only subject, through the role it names; the built-in
 * ClusterRoles other than view write and are refused.
 */
export const enforceReadOnlyAccess = defineRule<ReadOnlyConfig>({
    scope: "stack",
    name: "enforce-read-only-access",
    description:
        "Subjects the pack config names as read-only (developers) are bound only to roles that get, list and watch, never on Secrets, exec, attach, port-forward or proxy; the built-in admin, edit and cluster-admin are refused.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Bind developers to a role listing only get, list and watch on the platform's resources (pods/log get for logs), without secrets or pods/exec, pods/attach, pods/portforward; or to the built-in view ClusterRole.",
    checklist: ["6.5.1", "4.4.1", "4.4.2"],
    settings: {
        readOnlySubjects: {
            type: "array",
            items: { type: "string" },
            description: "Subjects that may only read, e.g. Group:voting-developers.",
            default: [],
        },
        readVerbs: { type: "array", items: { type: "string" }, description: "Verbs that only read.", default: ["get", "list", "watch"] },
        forbiddenResources: {
            type: "array",
            items: { type: "string" },
            description: "Core resources a read-only subject may not touch with any verb.",
            default: [
                "secrets",
                "pods/exec",
                "pods/attach",
                "pods/portforward",
                "pods/proxy",
                "services/proxy",
                "nodes/proxy",
                "serviceaccounts/token",
            ],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        if (cfg.readOnlySubjects.length === 0) return out;
        for (const b of objects.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")) {
            // Judged whatever the binding is called: anyone may name one system:.
            const ids = subjectsOf(b).map((s) => s.id);
            const readers = ids.filter((id) => cfg.readOnlySubjects.includes(id));
            if (readers.length === 0) continue;
            const role = boundRole(b, objects);
            // A role that does not exist is restrict-role-bindings' to report.
            if (!role) continue;
            const via = `${text(record(b.roleRef).kind)} ${role.name}`;
            const say = (what: string) =>
                out.push({
                    object: b,
                    message: `${describe(b)}: gives ${readers.join(", ")} ${what} through ${via}; read-only subjects get only ${cfg.readVerbs.join(", ")}, and not on ${cfg.forbiddenResources.join(", ")}`,
                });
            if (role.builtIn) {
                if (!READ_ONLY_BUILT_INS.includes(role.name)) say("write access");
                continue;
            }
            const grants: string[] = [];
            for (const r of records(role.rules)) {
                const verbs = strings(r.verbs);
                const resources = strings(r.resources);
                const core = strings(r.apiGroups).some((g) => g === "" || g === "*");
                const writes = verbs.filter((v) => !cfg.readVerbs.includes(v));
                if (writes.length > 0 && resources.length > 0) grants.push(`${writes.join(", ")} on ${resources.join(", ")}`);
                const touched = core ? cfg.forbiddenResources.filter((f) => resources.some((e) => covers(e, f))) : [];
                const readVerbs = verbs.filter((v) => cfg.readVerbs.includes(v));
                if (touched.length > 0 && readVerbs.length > 0) grants.push(`${readVerbs.join(", ")} on ${touched.join(", ")}`);
            }
            if (grants.length > 0) say(grants.join("; "));
        }
        return out;
    },
});
