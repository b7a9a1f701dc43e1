import type { Rule } from "../lib/rule";
import { disallowDefaultNamespace } from "./architecture/disallowDefaultNamespace";
import { requireNamespaceLayout } from "./architecture/requireNamespaceLayout";
import { requireDefaultDenyIngress } from "./network/requireDefaultDenyIngress";
import { disallowBestEffortQos } from "./resources/disallowBestEffortQos";
import { requireResourceLimits } from "./resources/requireResourceLimits";
import { requireResourceRequests } from "./resources/requireResourceRequests";
import { disallowHostNamespaces } from "./security/disallowHostNamespaces";
import { disallowHostPath } from "./security/disallowHostPath";
import { disallowHostPorts } from "./security/disallowHostPorts";
import { disallowHostProcess } from "./security/disallowHostProcess";
import { disallowPrivileged } from "./security/disallowPrivileged";
import { disallowPrivilegeEscalation } from "./security/disallowPrivilegeEscalation";
import { disallowUnsafeProcMountAndSysctls } from "./security/disallowUnsafeProcMountAndSysctls";
import { requireDropAllCapabilities } from "./security/requireDropAllCapabilities";
import { requireNonRoot } from "./security/requireNonRoot";
import { requireReadOnlyRootFilesystem } from "./security/requireReadOnlyRootFilesystem";
import { requireSeccompProfile } from "./security/requireSeccompProfile";

/** Every rule of the pack, in report order. The pack, the offline checker and the checklist registry read this list. */
export const RULES: readonly Rule[] = [
    // 1.1 container security
    requireNonRoot,
    requireReadOnlyRootFilesystem,
    disallowPrivilegeEscalation,
    requireDropAllCapabilities,
    disallowPrivileged,
    requireSeccompProfile,
    disallowHostNamespaces,
    disallowHostPath,
    disallowHostPorts,
    disallowUnsafeProcMountAndSysctls,
    disallowHostProcess,
    // 1.2 network
    requireDefaultDenyIngress,
    // 2.2 resources
    requireResourceRequests,
    requireResourceLimits,
    disallowBestEffortQos,
    // 7.1 architecture
    requireNamespaceLayout,
    disallowDefaultNamespace,
];
