// What each incidents command does, for the tenant-standing rule (`standingOf` in tenancy): new work
// (an incident, an alert, an action that acts on the tenant's cloud) starts only for an active
// tenant, while a suspended tenant's SOC may still wrap up what is open.
import type { CommandIntent } from '@rampart/event-sourcing';
import type { ActionCommand } from './actions/action';
import type { IncidentCommand } from './incident/incident';
import type { SetIncidentPolicy } from './policy/incident-policy';

export const INCIDENT_COMMAND_INTENTS: { readonly [K in IncidentCommand['kind'] | ActionCommand['kind'] | SetIncidentPolicy['kind']]: CommandIntent } = {
  // new work
  OpenIncident: 'starts-work',
  ReopenIncident: 'starts-work',
  ProposeAction: 'starts-work',
  ApproveAction: 'starts-work',
  // executing acts on the tenant's cloud: the action runner claims nothing for a tenant not active
  StartExecution: 'starts-work',
  // wrapping up what is open
  // A signal moved between open incidents (merge, split). A new alert or finding is judged where
  // it comes in (alert intake, the incident reactor) as starts-work, whether it opens or joins.
  AttachSignal: 'wraps-up',
  DetachSignal: 'wraps-up',
  TriageIncident: 'wraps-up',
  ReassignIncident: 'wraps-up',
  StartResponse: 'wraps-up',
  ConfirmContainment: 'wraps-up',
  ConfirmRemediation: 'wraps-up',
  ConfirmRecovery: 'wraps-up',
  CloseIncident: 'wraps-up',
  MergeIncident: 'wraps-up',
  AddComment: 'wraps-up',
  AddTask: 'wraps-up',
  CompleteTask: 'wraps-up',
  AddEvidence: 'wraps-up',
  ChangeLabels: 'wraps-up',
  RecordSlaBreach: 'wraps-up',
  // an action already executing has an outcome to record, whatever happened to the tenant since
  RecordSuccess: 'wraps-up',
  RecordFailure: 'wraps-up',
  ResolveUncertainOutcome: 'wraps-up',
  CancelAction: 'wraps-up',
  // a proposal nobody approved in time ends, as an exemption's expiry does
  ExpireAction: 'wraps-up',
  VerifyAction: 'wraps-up',
  // SLA targets, pre-approved actions, correlation window: what the SOC is held to for the tenant
  SetIncidentPolicy: 'changes-posture',
};
