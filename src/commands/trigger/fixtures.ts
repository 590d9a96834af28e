// What a portal sends for common events, from the official REST docs (bitrix24/b24restdocs, the page
// named in each entry). `trigger` starts from these and applies --data on top.

/** Which `auth` block the event's deliveries carry. */
export type AuthKind = 'app' | 'app+refresh' | 'tokenless';

export interface EventFixture {
  event: string;
  data: unknown;
  auth: AuthKind;
  /** the docs page, under api-reference/ */
  doc: string;
}

const crm = (event: string, id: string, page: string, extra: Record<string, string> = {}): EventFixture => ({
  event,
  data: { FIELDS: { ID: id, ...extra } },
  auth: 'app',
  doc: `crm/${page}`,
});

export const fixtures: EventFixture[] = [
  crm('ONCRMDEALADD', '6641', 'deals/events/on-crm-deal-add.md'),
  crm('ONCRMDEALUPDATE', '759', 'deals/events/on-crm-deal-update.md'),
  crm('ONCRMDEALDELETE', '1765', 'deals/events/on-crm-deal-delete.md'),
  crm('ONCRMDEALMOVETOCATEGORY', '6675', 'deals/events/on-crm-deal-move-to-category.md', { CATEGORY_ID: '1', STAGE_ID: 'C1:NEW' }),
  crm('ONCRMLEADADD', '1000983', 'leads/events/on-crm-lead-add.md'),
  crm('ONCRMLEADUPDATE', '1000983', 'leads/events/on-crm-lead-update.md'),
  crm('ONCRMLEADDELETE', '1000983', 'leads/events/on-crm-lead-delete.md'),
  crm('ONCRMCONTACTADD', '89', 'contacts/events/on-crm-contact-add.md'),
  crm('ONCRMCONTACTUPDATE', '82', 'contacts/events/on-crm-contact-update.md'),
  crm('ONCRMCONTACTDELETE', '89', 'contacts/events/on-crm-contact-delete.md'),
  crm('ONCRMCOMPANYADD', '2917', 'companies/events/on-crm-company-add.md'),
  crm('ONCRMCOMPANYUPDATE', '2917', 'companies/events/on-crm-company-update.md'),
  crm('ONCRMCOMPANYDELETE', '2917', 'companies/events/on-crm-company-delete.md'),
  crm('ONCRMACTIVITYADD', '999', 'timeline/activities/events/on-crm-activity-add.md'),
  crm('ONCRMDYNAMICITEMADD', '22', 'universal/events/on-crm-dynamic-item-add.md', { ENTITY_TYPE_ID: '1220' }),
  crm('ONCRMDYNAMICITEMUPDATE', '22', 'universal/events/on-crm-dynamic-item-update.md', { ENTITY_TYPE_ID: '1220' }),
  crm('ONCRMDYNAMICITEMDELETE', '22', 'universal/events/on-crm-dynamic-item-delete.md', { ENTITY_TYPE_ID: '1220' }),
  {
    event: 'ONTASKADD',
    data: { FIELDS_BEFORE: 'undefined', FIELDS_AFTER: { ID: '123' }, IS_ACCESSIBLE_BEFORE: 'N', IS_ACCESSIBLE_AFTER: 'undefined' },
    auth: 'app',
    doc: 'tasks/events-tasks/on-task-add.md',
  },
  {
    event: 'ONTASKUPDATE',
    data: { FIELDS_BEFORE: { ID: '123' }, FIELDS_AFTER: { ID: '123' }, IS_ACCESSIBLE_BEFORE: 'undefined', IS_ACCESSIBLE_AFTER: 'undefined' },
    auth: 'app',
    doc: 'tasks/events-tasks/on-task-update.md',
  },
  {
    event: 'ONTASKDELETE',
    data: { FIELDS_BEFORE: { ID: '123' }, FIELDS_AFTER: 'undefined', IS_ACCESSIBLE_BEFORE: 'undefined', IS_ACCESSIBLE_AFTER: 'N' },
    auth: 'app',
    doc: 'tasks/events-tasks/on-task-delete.md',
  },
  {
    event: 'ONTASKCOMMENTADD',
    data: { FIELDS_AFTER: { ID: '123', TASK_ID: '555' } },
    auth: 'app',
    doc: 'tasks/comment-item/events-comment/on-task-comment-add.md',
  },
  {
    event: 'ONUSERADD',
    data: { ID: '123', ACTIVE: 'Y', EMAIL: 'new.user@example.com', NAME: 'New', LAST_NAME: 'User', UF_DEPARTMENT: ['1'], WORK_POSITION: 'Manager' },
    auth: 'app',
    doc: 'common/events/on-user-add.md',
  },
  { event: 'ONCALENDARENTRYADD', data: { id: '1414' }, auth: 'app', doc: 'calendar/calendar-event/events/on-calendar-entry-add.md' },
  {
    event: 'ONAPPINSTALL',
    data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
    auth: 'app+refresh',
    doc: 'common/events/on-app-install.md',
  },
  { event: 'ONAPPUPDATE', data: { VERSION: '2', PREVIOUS_VERSION: '1', LANGUAGE_ID: 'en' }, auth: 'app', doc: 'common/events/on-app-update.md' },
  { event: 'ONAPPUNINSTALL', data: { LANGUAGE_ID: 'en', CLEAN: '0' }, auth: 'tokenless', doc: 'common/events/on-app-uninstall.md' },
  { event: 'ONAPPTEST', data: { QUERY: { test: 'b24-events' }, LANGUAGE_ID: 'en' }, auth: 'app', doc: 'events/test-handler.md' },
  { event: 'ONOFFLINEEVENT', data: undefined, auth: 'app+refresh', doc: 'events/on-offline-event.md' },
];

export function fixtureOf(event: string): EventFixture | undefined {
  return fixtures.find((fixture) => fixture.event === event);
}
