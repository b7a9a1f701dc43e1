import { serversOf } from "../../lib/dataStores";
import { containersOf, describe, podTemplate, record, records, str } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/**
 * Checklist 2.4.1: a StatefulSet keeps its data on volumes made from volumeClaimTemplates, each naming
 * its StorageClass: without a name the cluster's default class decides how the volume is made and
 * whether it outlives its claim; `""` turns dynamic provisioning off. A StatefulSet that runs PostgreSQL
 * or Redis must have such a template, and every template must be mounted by a container.
 */
export const requirePersistentStorage = defineRule({
    scope: "resource",
    kinds: ["StatefulSet"],
    name: "require-persistent-storage",
    description:
        "StatefulSets running PostgreSQL or Redis have volumeClaimTemplates; every volumeClaimTemplate names a storageClassName and is mounted by a container.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a volumeClaimTemplate (ReadWriteOnce, a size, storageClassName of the Retain class the platform creates) and mount it at the server's data directory.",
    checklist: ["2.4.1"],
    check: (obj) => {
        if (obj.kind !== "StatefulSet") return [];
        const out: string[] = [];
        const templates = records(record(obj.spec).volumeClaimTemplates);
        if (templates.length === 0) {
            const servers = serversOf(obj);
            if (servers.length > 0)
                out.push(
                    `${describe(obj)}: runs ${servers[0].engine === "postgres" ? "PostgreSQL" : "Redis"} with no volumeClaimTemplates, so its data lives only as long as the pod; add one with a storageClassName`,
                );
            return out;
        }
        const mounted = new Set(containersOf(podTemplate(obj)?.spec).flatMap((c) => records(c.container.volumeMounts).map((m) => m.name)));
        templates.forEach((t, i) => {
            const name = str(record(t.metadata).name) ?? `#${i}`;
            const cls = record(t.spec).storageClassName;
            if (cls === undefined || cls === null)
                out.push(
                    `${describe(obj)}: volumeClaimTemplate ${name} names no storageClassName, so the cluster's default class decides how it is provisioned and whether it is kept; name the class`,
                );
            else if (cls === "")
                out.push(
                    `${describe(obj)}: volumeClaimTemplate ${name} sets storageClassName "", which turns dynamic provisioning off; name a class`,
                );
            if (!mounted.has(name)) out.push(`${describe(obj)}: volumeClaimTemplate ${name} is mounted by no container; its data goes elsewhere`);
        });
        return out;
    },
});
