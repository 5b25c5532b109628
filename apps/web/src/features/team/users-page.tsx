import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { UserResponseDto } from '@crescendo/api-client';
import { api, type AssignableRole } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { i18n, roleLabel } from '../../i18n';
import { DataTable, FormError, PagedTable, QueryView, formatDate, useCursor, type Column } from '../../components';
import { InviteForm } from './invite-form';
import { permissionKey } from '../../i18n/domain';

const USERS = ['users'] as const;
const PAGE_SIZE = 20;
const ROLES: AssignableRole[] = ['admin', 'member', 'viewer'];
const isAssignable = (role: string): role is AssignableRole => (ROLES as string[]).includes(role);

export function UsersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const roles = useQuery({ queryKey: ['roles'], queryFn: api.listRoles, staleTime: 10 * 60_000 });
  const assignable = roles.data
    ? roles.data
        .filter((r) => r.assignable)
        .map((r) => r.name)
        .filter(isAssignable)
    : ROLES;
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('pages.usersTitle')}</h1>
          <p className="muted">{t('pages.usersSubtitle')}</p>
        </div>
      </header>
      {can('admin:users') && <InviteForm roles={assignable} />}
      <MembersTable roles={assignable} manage={can('admin:users')} />
      <div className="card">
        <h2>{t('team.roles')}</h2>
        <QueryView query={roles} empty={t('team.noRoles')}>
          {(data) => (
            <DataTable
              testId="roles-table"
              rows={data}
              rowKey={(role) => role.name}
              columns={[
                {
                  key: 'role',
                  header: t('team.colRole'),
                  render: (role) => <strong>{roleLabel(role.name)}</strong>,
                },
                {
                  key: 'description',
                  header: t('team.colDescription'),
                  render: (role) =>
                    i18n.exists(`domain.roleDescriptions.${role.name}`)
                      ? t(`domain.roleDescriptions.${role.name}`)
                      : role.description,
                },
                {
                  key: 'permissions',
                  header: t('team.colPermissions'),
                  render: (role) => (
                    <div className="tags">
                      {role.permissions.map((p) => (
                        <span className="tag" key={p} title={t(permissionKey(p))}>
                          {p}
                        </span>
                      ))}
                    </div>
                  ),
                },
              ]}
            />
          )}
        </QueryView>
      </div>
    </section>
  );
}

function MembersTable({ roles, manage }: { roles: AssignableRole[]; manage: boolean }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const { cursor, setCursor } = useCursor();
  const users = useQuery({
    queryKey: [...USERS, 'page', cursor],
    queryFn: () => api.listUsers({ cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const [removing, setRemoving] = useState<string | null>(null);
  const done = () => void queryClient.invalidateQueries({ queryKey: USERS });
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: AssignableRole }) => api.updateUser(id, { role }),
    onSuccess: done,
  });
  const changeStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'active' | 'inactive' }) => api.updateUserStatus(id, status),
    onSuccess: done,
  });
  const remove = useMutation({
    meta: { toast: 'toast.deleted' },
    mutationFn: (id: string) => api.deleteUser(id),
    onSuccess: () => {
      setRemoving(null);
      done();
    },
  });
  const error = changeRole.error ?? changeStatus.error ?? remove.error;
  const editable = (member: UserResponseDto) => manage && member.id !== me?.user.id && member.role !== 'owner';
  const columns: Column<UserResponseDto>[] = [
    {
      key: 'name',
      header: t('team.colName'),
      render: (member) => (
        <>
          {member.name}
          {member.id === me?.user.id && <span className="tag">{t('team.you')}</span>}
        </>
      ),
    },
    { key: 'email', header: t('team.colEmail'), render: (member) => member.email },
    {
      key: 'role',
      header: t('team.colRole'),
      render: (member) =>
        editable(member) ? (
          <select
            aria-label={t('team.roleOf', { email: member.email })}
            value={member.role}
            disabled={changeRole.isPending}
            onChange={(e) => changeRole.mutate({ id: member.id, role: e.target.value as AssignableRole })}
          >
            {Array.from(new Set([member.role, ...roles])).map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        ) : (
          roleLabel(member.role)
        ),
    },
    {
      key: 'status',
      header: t('team.colStatus'),
      render: (member) => <span className={`tag status-${member.status}`}>{t(`team.statuses.${member.status}`)}</span>,
    },
    {
      key: 'lastLoginAt',
      header: t('team.colLastSignIn'),
      render: (member) => formatDate(member.lastLoginAt, t('team.never')),
    },
  ];
  if (manage)
    columns.push({
      key: 'manage',
      header: '',
      className: 'actions',
      render: (member) =>
        editable(member) && (
          <>
            <button
              type="button"
              disabled={changeStatus.isPending}
              onClick={() =>
                changeStatus.mutate({
                  id: member.id,
                  status: member.status === 'inactive' ? 'active' : 'inactive',
                })
              }
            >
              {member.status === 'inactive' ? t('team.activate') : t('team.deactivate')}
            </button>
            {removing === member.id ? (
              <span className="confirm">
                {t('team.removeQuestion')}{' '}
                <button type="button" className="danger" onClick={() => remove.mutate(member.id)}>
                  {t('team.remove')}
                </button>
                <button type="button" onClick={() => setRemoving(null)}>
                  {t('common.cancel')}
                </button>
              </span>
            ) : (
              <button type="button" className="danger-outline" onClick={() => setRemoving(member.id)}>
                {t('team.remove')}
              </button>
            )}
          </>
        ),
    });
  return (
    <div className="card">
      <h2>{t('team.members')}</h2>
      <FormError error={error} />
      <PagedTable
        query={users}
        empty={t('team.noMembers')}
        onCursor={setCursor}
        columns={columns}
        rowKey={(member) => member.id}
        testId="users-table"
        rowTestId="user-row"
      />
    </div>
  );
}
