import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UserResponseDto } from '@crescendo/api-client';
import { api, type AssignableRole } from '../api/endpoints';
import { useAuth } from '../auth';
import { Empty, Field, FormError, Loading, Notice, formatDate } from '../components';

const USERS = ['users'] as const;
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
        <h2>Roles</h2>
        {roles.isPending ? (
          <Loading />
        ) : roles.isError ? (
          <FormError error={roles.error} />
        ) : roles.data.length === 0 ? (
          <Empty>No roles.</Empty>
        ) : (
          <table data-testid="roles-table">
            <thead>
              <tr>
                <th>Role</th>
                <th>Description</th>
                <th>Permissions</th>
              </tr>
            </thead>
            <tbody>
              {roles.data.map((role) => (
                <tr key={role.name}>
                  <td>
                    <strong>{role.name}</strong>
                  </td>
                  <td>{role.description}</td>
                  <td>
                    <div className="tags">
                      {role.permissions.map((p) => (
                        <span className="tag" key={p}>
                          {p}
                        </span>
                      ))}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function InviteForm({ roles }: { roles: AssignableRole[] }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', role: 'member' as AssignableRole });
  const mutation = useMutation({
    mutationFn: () => api.createUser(form),
    onSuccess: () => {
      setForm({ email: '', name: '', role: form.role });
      void queryClient.invalidateQueries({ queryKey: USERS });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>Invite a member</h2>
      <FormError error={mutation.error} testId="invite-error" />
      {mutation.isSuccess && <Notice testId="invite-done">Invitation sent.</Notice>}
      <div className="row">
        <Field
          label="Name"
          name="name"
          required
          data-testid="invite-name"
          value={form.name}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <Field
          label="E-mail"
          name="email"
          type="email"
          data-testid="invite-email"
          value={form.email}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <label className="field">
          <span>Role</span>
          <select
            data-testid="invite-role"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as AssignableRole })}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button className="primary" type="submit" disabled={mutation.isPending} data-testid="invite-submit">
        {mutation.isPending ? 'Inviting…' : 'Invite'}
      </button>
    </form>
  );
}

function MembersTable({ roles, manage }: { roles: AssignableRole[]; manage: boolean }) {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: USERS, queryFn: api.listUsers });
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
  return (
    <div className="card">
      <h2>Members</h2>
      <FormError error={error} />
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <FormError error={users.error} />
      ) : users.data.length === 0 ? (
        <Empty>No members yet.</Empty>
      ) : (
        <table data-testid="users-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>E-mail</th>
              <th>Role</th>
              <th>Status</th>
              <th>Last sign-in</th>
              {manage && <th />}
            </tr>
          </thead>
          <tbody>
            {users.data.map((member: UserResponseDto) => {
              const self = member.id === me?.user.id;
              const editable = manage && !self && member.role !== 'owner';
              return (
                <tr key={member.id} data-testid="user-row">
                  <td>
                    {member.name}
                    {self && <span className="tag">you</span>}
                  </td>
                  <td>{member.email}</td>
                  <td>
                    {editable ? (
                      <select
                        aria-label={`Role of ${member.email}`}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(e) => changeRole.mutate({ id: member.id, role: e.target.value as AssignableRole })}
                      >
                        {Array.from(new Set([member.role, ...roles])).map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      member.role
                    )}
                  </td>
                  <td>
                    <span className={`tag status-${member.status}`}>{member.status}</span>
                  </td>
                  <td>{formatDate(member.lastLoginAt, 'Never')}</td>
                  {manage && (
                    <td className="actions">
                      {editable && (
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
                            {member.status === 'inactive' ? 'Activate' : 'Deactivate'}
                          </button>
                          {removing === member.id ? (
                            <span className="confirm">
                              Remove?{' '}
                              <button type="button" className="danger" onClick={() => remove.mutate(member.id)}>
                                Remove
                              </button>
                              <button type="button" onClick={() => setRemoving(null)}>
                                Cancel
                              </button>
                            </span>
                          ) : (
                            <button type="button" className="danger-outline" onClick={() => setRemoving(member.id)}>
                              Remove
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
