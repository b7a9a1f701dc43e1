import { describe, type K8sObject, nameOf, record, records, str } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { resourceSet } from "../../lib/resourceSet";

/** The claims an object makes: a StatefulSet's templates, or a PersistentVolumeClaim itself. */
function claimsOf(obj: K8sObject): { label: string; storageClass?: string }[] {
    if (obj.kind === "StatefulSet")
        return records(record(obj.spec).volumeClaimTemplates).map((t, i) => ({
            label: `volumeClaimTemplate ${str(record(t.metadata).name) ?? `#${i}`}`,
            storageClass: str(record(t.spec).storageClassName),
        }));
    if (obj.kind === "PersistentVolumeClaim") return [{ label: "its claim", storageClass: str(record(obj.spec).storageClassName) }];
    return [];
}

/**
 * Checklist 2.4.2: data survives the deletion of what holds it. The StorageClass each claim names is
 * dynamically provisioned and has reclaimPolicy Retain (Kubernetes defaults to Delete), and no
 * StatefulSet deletes its claims when it is deleted or scaled down. A class not in the resource set
 * must be listed as retaining in the pack config. Pulumi's retainOnDelete is not visible to policies;
 * the Kubernetes fields are what this judges.
 */
export const requireRetainedStorage = defineRule<{ retainClasses: string[] }>({
    scope: "stack",
    name: "require-retained-storage",
    description:
        "Every StorageClass that StatefulSet templates and PersistentVolumeClaims name provisions dynamically with reclaimPolicy Retain (or is listed as retaining), and no StatefulSet's persistentVolumeClaimRetentionPolicy deletes claims.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the StorageClass with reclaimPolicy Retain and a CSI provisioner, and set persistentVolumeClaimRetentionPolicy whenDeleted: Retain and whenScaled: Retain (or leave it unset: Retain is the default).",
    checklist: ["2.4.2"],
    settings: {
        retainClasses: {
            type: "array",
            items: { type: "string" },
            description: "StorageClasses created outside the resource set that are known to provision dynamically and retain volumes.",
            default: [],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const classes = new Map(
            resourceSet(objects)
                .ofKind("StorageClass")
                .map((c) => [nameOf(c), c]),
        );
        for (const obj of objects) {
            const say = (m: string) => out.push({ object: obj, message: `${describe(obj)}: ${m}` });
            if (obj.kind === "StatefulSet") {
                const policy = record(record(obj.spec).persistentVolumeClaimRetentionPolicy);
                for (const when of ["whenDeleted", "whenScaled"] as const) {
                    if (policy[when] === "Delete")
                        say(
                            `persistentVolumeClaimRetentionPolicy.${when} is Delete: ${when === "whenDeleted" ? "deleting the StatefulSet" : "scaling it down"} deletes its claims and their data; set Retain`,
                        );
                }
            }
            for (const claim of claimsOf(obj)) {
                if (!claim.storageClass) continue;
                const sc = classes.get(claim.storageClass);
                if (!sc) {
                    if (!cfg.retainClasses.includes(claim.storageClass))
                        say(
                            `${claim.label} uses StorageClass ${claim.storageClass}, which is not in the resource set, so whether it keeps volumes cannot be checked; create it with reclaimPolicy Retain or list it in retainClasses`,
                        );
                    continue;
                }
                const reclaim = str(sc.reclaimPolicy);
                if (reclaim !== "Retain")
                    say(
                        `${claim.label} uses StorageClass ${claim.storageClass}, whose reclaimPolicy is ${reclaim ?? "unset (Delete)"}: deleting the claim deletes the volume; set reclaimPolicy Retain`,
                    );
                if (str(sc.provisioner) === "kubernetes.io/no-provisioner")
                    say(
                        `${claim.label} uses StorageClass ${claim.storageClass}, which provisions nothing (kubernetes.io/no-provisioner); use a CSI provisioner`,
                    );
            }
        }
        return out;
    },
});
