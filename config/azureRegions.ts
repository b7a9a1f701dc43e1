/**
 * Azure's region pairs: geo-redundant storage (GRS) copies to the primary region's pair and nowhere
 * else, so a stack on Azure names that pair as its backup replica region. Regions missing here can be
 * added from Azure's published list of region pairs.
 */
export const AZURE_REGION_PAIRS: Readonly<Record<string, string>> = {
    westeurope: "northeurope",
    northeurope: "westeurope",
    uksouth: "ukwest",
    ukwest: "uksouth",
    francecentral: "francesouth",
    germanywestcentral: "germanynorth",
    switzerlandnorth: "switzerlandwest",
    norwayeast: "norwaywest",
    swedencentral: "swedensouth",
    eastus: "westus",
    westus: "eastus",
    eastus2: "centralus",
    centralus: "eastus2",
    westus2: "westcentralus",
    westus3: "eastus",
    northcentralus: "southcentralus",
    southcentralus: "northcentralus",
    canadacentral: "canadaeast",
    australiaeast: "australiasoutheast",
    japaneast: "japanwest",
    southeastasia: "eastasia",
    eastasia: "southeastasia",
    koreacentral: "koreasouth",
    centralindia: "southindia",
};
