// Which Azure initiatives Rampart offers as standards, under which id. Ids are pinned here, not
// derived from display names, because they are recorded in events (`BaselineAssigned.baselineId`)
// and must survive Microsoft renaming an initiative. The initiative's GUID stays the reference.

/** The Microsoft cloud security benchmark: Defender for Cloud's default initiative (category Security Center). */
export const MCSB_INITIATIVE = '1f3afdf9-d0c9-4c3d-847f-89da613e70a8';

/** Initiative name (GUID) → standard id. Every initiative of category Regulatory Compliance, and MCSB. */
export const STANDARD_IDS: ReadonlyMap<string, string> = new Map([
  [MCSB_INITIATIVE, 'mcsb'],
  ['42a694ed-f65e-42b2-aa9e-8052e9740a92', 'azure-security-benchmark-v1'], // [Deprecated]: Azure Security Benchmark v1
  ['bb522ac1-bc39-4957-b194-429bcd3bcb0b', 'azure-security-benchmark-v2'], // [Deprecated]: Azure Security Benchmark v2
  ['8d792a84-723c-4d92-a3c3-e4ed16a2d133', 'dod-il4'], // [Deprecated]: DoD Impact Level 4
  ['d1a462af-7e6d-4901-98ac-61570b4ed22a', 'nz-ism-restricted'], // [Deprecated]: New Zealand ISM Restricted
  ['93d2179e-3068-c82f-2428-d614ae836a04', 'nz-ism-restricted-3.5'], // [Deprecated]: New Zealand ISM Restricted v3.5
  ['80307b86-ab81-45ab-bf4f-4e0b93cf3dd5', 'acat-m365'], // ACAT for Microsoft 365 Certification
  ['f03d9540-4405-4365-8272-318999d1b37a', 'apra-cps-234-2019'], // APRA CPS 234 2019
  ['27272c0b-c225-4cc3-b8b0-f2534b093077', 'au-ism-protected'], // Australian Government ISM PROTECTED
  ['770977b7-fceb-4c16-9d09-b7484fb8eef2', 'lgpd-2018'], // Brazilian General Data Protection Law (LGPD) 2018
  ['4c4a5f27-de81-430b-b4e5-9cbd50595a87', 'canada-pbmm'], // Canada Federal PBMM
  ['f8f5293d-df94-484a-a3e7-6b422a999d91', 'canada-pbmm-2020'], // Canada Federal PBMM 3-1-2020
  ['1a5bb27d-173f-493e-9568-eb56638dde4d', 'cis-azure-1.1.0'], // CIS Microsoft Azure Foundations Benchmark v1.1.0
  ['612b5213-9160-4969-8578-1518bd2a000c', 'cis-azure-1.3.0'], // CIS Microsoft Azure Foundations Benchmark v1.3.0
  ['c3f5c4d9-9a1d-4a99-85c0-7f93e384d5c5', 'cis-azure-1.4.0'], // CIS Microsoft Azure Foundations Benchmark v1.4.0
  ['06f19060-9e68-4070-92ca-f15cc126059e', 'cis-azure-2.0.0'], // CIS Microsoft Azure Foundations Benchmark v2.0.0
  ['fe7782e4-6ff3-4e39-8d8a-64b6f7b82c85', 'cis-azure-2.1.0'], // CIS Azure Foundations v2.1.0
  ['470a962c-86a0-433b-803a-3c176b5ce79c', 'cis-azure-3.0.0'], // CIS Azure Foundations v3.0.0
  ['046796ef-e8a7-4398-bbe9-cce970b1a3ae', 'cis-controls-8.1'], // CIS Controls v8.1
  ['4e50fd13-098b-3206-61d6-d1d78205cb45', 'cmmc-2.0-l2'], // CMMC 2.0 Level 2
  ['b5629c75-5c77-4422-87b9-2509e680f8de', 'cmmc-l3'], // CMMC Level 3
  ['a4087154-2edb-4329-b56a-1cc986807f3c', 'cmmc-l2-1.9.0'], // Cybersecurity Maturity Model Certification (CMMC) Level 2 v1.9.0
  ['8791506a-dec4-497a-a83f-3abfde37c400', 'csa-ccm-4.0.12'], // CSA CSA Cloud Controls Matrix v4.0.12
  ['b2f588d7-1ed5-47c7-977d-b93dff520c4c', 'cyber-essentials-3.1'], // Cyber Essentials v3.1
  ['f9c0485f-da8e-43b5-961e-58ebd54b907c', 'dora-2022-2554'], // DORA 2022 2554
  ['42346945-b531-41d8-9e46-f95057672e88', 'eu-nis2-2022-2555'], // EU 2022/2555 (NIS2) 2022
  ['32ff9e30-4725-4ca7-ba3a-904a7721ee87', 'nis2'], // NIS2
  ['1308bccf-446a-4283-a4e0-0c983fe7a572', 'eu-ai-act-2024'], // EU AI Act 2024 1689
  ['7326812a-86a4-40c8-af7c-8945de9c4913', 'eu-gdpr-2016-679'], // EU General Data Protection Regulation (GDPR) 2016/679
  ['4fcabc2a-30b2-4ba5-9fbb-b1a4e08fb721', 'fbi-cjis-5.9.5'], // FBI Criminal Justice Information Services (CJIS) v5.9.5
  ['d5264498-16f4-418a-b659-fa7ef418175f', 'fedramp-high'], // FedRAMP High
  ['e95f5a9f-57ad-4d03-bb0b-b1d16db93693', 'fedramp-moderate'], // FedRAMP Moderate
  ['1d5dbdd5-6f93-43ce-a939-b19df3753cf7', 'ffiec-cat-2017'], // FFIEC CAT 2017
  ['e0d47b75-5d99-442a-9d60-07f2595ab095', 'hitrust-csf-11.3'], // HITRUST CSF v11.3
  ['a169a624-5599-4385-a696-c8d643089fab', 'hitrust-hipaa'], // HITRUST/HIPAA
  ['105e0327-6175-4eb2-9af4-1fba43bdb39d', 'irs-1075-2016'], // IRS1075 September 2016
  ['89c6cddc-1c73-4ac1-b19c-54d1a15a42f2', 'iso-27001-2013'], // ISO 27001:2013
  ['5e4ff661-23bf-42fa-8e3a-309a55091cc7', 'iso-27001-2022'], // ISO/IEC 27001 2022
  ['e3030e83-88d5-4f23-8734-6577a2c97a32', 'iso-27002-2022'], // ISO/IEC 27002 2022
  ['f48ecfa6-581c-43f9-8141-cd4adc72cf26', 'iso-27017-2015'], // ISO/IEC 27017 2015
  ['e0782c37-30da-4a78-9f92-50bfe7aa2553', 'k-isms-p-2023'], // K ISMS P 2023
  ['92646f03-e39d-47a9-9e24-58d60ef49af8', 'mpaa'], // Motion Picture Association of America (MPAA)
  ['6d220abf-cf6f-4b17-8f7e-0644c4cc84b4', 'ncsc-caf-3.2'], // NCSC Cyber Assurance Framework (CAF) v3.2
  ['4f5b1359-4f8e-4d7c-9733-ea47fcde891e', 'nz-ism'], // New Zealand ISM
  ['4476df0a-18ab-4bfe-b6ad-cccae1cf320f', 'nzism-3.7'], // NZISM v3.7
  ['38916c43-6876-4971-a4b1-806aa7e55ccc', 'nist-sp-800-171-r3'], // NIST 800-171 R3
  ['03055927-78bd-4236-86c0-f36125a10dc9', 'nist-sp-800-171-r2'], // NIST SP 800-171 Rev. 2
  ['f58a876c-ec25-417e-9634-58d2a93e3fe2', 'nist-ai-rmf-1.0'], // NIST AI RMF v1.0
  ['184a0e05-7b06-4a68-bbbe-13b8353bc613', 'nist-csf-2.0'], // NIST CSF v2.0
  ['60205a79-6280-4e20-a147-e2011e09dc78', 'nist-sp-800-53-r5.1.1'], // NIST SP 800-53 R5.1.1
  ['cf25b9c1-bd23-4eb6-bd2c-f4f3ac644a5f', 'nist-sp-800-53-r4'], // NIST SP 800-53 Rev. 4
  ['179d1daa-458f-4e47-8086-2a68d0d6c38f', 'nist-sp-800-53-r5'], // NIST SP 800-53 Rev. 5
  ['6ce73208-883e-490f-a2ac-44aac3b3687f', 'nl-bio-cloud'], // NL BIO Cloud Theme
  ['d8b2ffbe-c6a8-4622-965d-4ade11d1d2ee', 'nl-bio-cloud-v2'], // NL BIO Cloud Theme V2
  ['c676748e-3af9-4e22-bc28-50feed564afb', 'pci-dss-4.0'], // PCI DSS v4
  ['a06d5deb-24aa-4991-9d58-fa7563154e31', 'pci-dss-4.0.1'], // PCI DSS v4.0.1
  ['496eeda9-8f2f-4d5e-8dfd-204f0a92ed41', 'pci-dss-3.2.1'], // PCI v3.2.1:2018
  ['d0d5578d-cc08-2b22-31e3-f525374f235a', 'rbi-itf-banks-2016'], // Reserve Bank of India - IT Framework for Banks
  ['7f89f09c-48c1-f28d-1bd5-84f3fb22f86c', 'rbi-itf-nbfc-2017'], // Reserve Bank of India - IT Framework for NBFC
  ['97a6d4f1-3bed-4cf4-ac5b-0e444c0408d6', 'rmit-malaysia'], // RMIT Malaysia
  ['5757cf73-35d1-46d4-8c78-17b7ddd6076a', 'sox-2022'], // Sarbanes Oxley Act 2022
  ['4054785f-702b-4a98-9215-009cbd58b141', 'soc-2'], // SOC 2 Type 2
  ['53ad89f5-8542-49e9-ba81-1cbd686e0d52', 'soc-2023'], // SOC 2023
  ['03de05a4-c324-4ccd-882f-a814ea8ab9ea', 'sovereignty-confidential'], // Sovereignty Baseline - Confidential Policies
  ['c1cbff38-87c0-4b9f-9f70-035c7a3b5523', 'sovereignty-global'], // Sovereignty Baseline - Global Policies
  ['175daf90-21e1-4fec-b745-7b4c909aa94c', 'spain-ens'], // Spain ENS
  ['3e0c67fc-8c7c-406c-89bd-6b6bdc986a22', 'swift-cscf-2020'], // SWIFT CSP-CSCF v2020
  ['abf84fac-f817-a70c-14b5-47eec767458a', 'swift-cscf-2021'], // SWIFT CSP-CSCF v2021
  ['7bc7cd6c-4114-ff31-3cac-59be3157596d', 'swift-cscf-2022'], // SWIFT CSP-CSCF v2022
  ['7499005e-df5a-45d9-810f-041cf346678c', 'swift-cscf-2024'], // SWIFT Customer Security Controls Framework 2024
  ['3937f550-eedd-4639-9c5e-294358be442e', 'uk-official-nhs'], // UK OFFICIAL and UK NHS
]);

/** A standard id for an initiative this table does not pin yet (a newer vendored corpus): a slug of its display name. */
export const slugStandardId = (displayName: string): string =>
  displayName
    .replace(/^\[[^\]]*\]:\s*/, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
