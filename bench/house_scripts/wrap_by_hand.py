from pathlib import Path
import textwrap
def rep(path, old, new):
    p = Path(path); s = p.read_text()
    assert s.count(old) == 1, (path, old[:60])
    p.write_text(s.replace(old, new))
rep('templates/programs/page.html', '''  <div><span
      class="badge fs-6 text-bg-{{
      {'draft':'secondary','approved':'info','active':'primary','completed':'success','terminated':'dark'}[program.state.value]
      }}" id="program-state">{{ program.state.label }}</span>''',
'''  <div><span class="badge fs-6 text-bg-{{ {'draft': 'secondary', 'approved': 'info', 'active': 'primary',
      'completed': 'success', 'terminated': 'dark'}[program.state.value] }}" id="program-state">
    {{- program.state.label }}</span>''')
rep('templates/settings/index.html', '''          help='Пусто — без ограничения, если положение организации лимита не устанавливает. Превышение установленного лимита — предупреждение, которое куратор подтверждает.',''',
'''          help='Пусто — без ограничения, если положение организации лимита не устанавливает. '
              ~ 'Превышение установленного лимита — предупреждение, которое куратор подтверждает.',''')
rep('templates/staff/list.html', '''      hx-trigger="input changed delay:300ms from:#staff-q, change from:select, change from:input[type=checkbox], submit">''',
'''    hx-trigger="input changed delay:300ms from:#staff-q, change from:select, change from:input[type=checkbox], submit">''')
rep('templates/staff/list.html', '''      {% for key,
          label in
          [('name','По фамилии'),('position','По должности'),('category','По категории'),('experience','По стажу (сначала новые)'),('tenure','По стажу в организации')]
          %}''',
'''      {% for key, label in [('name', 'По фамилии'), ('position', 'По должности'), ('category', 'По категории'),
                            ('experience', 'По стажу (сначала новые)'), ('tenure', 'По стажу в организации')] %}''')
rep('templates/base.html', '''  <meta name="htmx-config"
      content='{"includeIndicatorStyles": false, "allowEval": false, "allowScriptTags": false, "responseHandling": [{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":true,"error":true}]}'>''',
'''  {%- set htmx_config = '{"includeIndicatorStyles": false, "allowEval": false, "allowScriptTags": false, '
      ~ '"responseHandling": [{"code":"204","swap":false},{"code":"[23]..","swap":true},'
      ~ '{"code":"422","swap":true},{"code":"[45]..","swap":true,"error":true}]}' %}
  <meta name="htmx-config" content='{{ htmx_config|safe }}'>''')
for d in ['''d="M8 16a2 2 0 0 0 2-2H6a2 2 0 0 0 2 2M8 1.92l-.8.16A4 4 0 0 0 4 6c0 .63-.13 2.2-.46 3.74-.16.77-.38 1.57-.66 2.26h10.24c-.28-.69-.5-1.49-.66-2.26C12.13 8.2 12 6.63 12 6a4 4 0 0 0-3.2-3.92zM14.22 12c.22.45.48.8.78 1H1c.3-.2.56-.55.78-1C2.68 10.2 3 6.88 3 6c0-2.42 1.72-4.44 4-4.9V1a1 1 0 1 1 2 0v.1A5 5 0 0 1 13 6c0 .88.32 4.2 1.22 6"/></svg>''',
 '''d="M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6m2-3a2 2 0 1 1-4 0 2 2 0 0 1 4 0m4 8c0 1-1 1-1 1H3s-1 0-1-1 1-4 6-4 6 3 6 4m-1-.004c-.001-.246-.154-.986-.832-1.664C11.516 10.68 10.289 10 8 10s-3.516.68-4.168 1.332c-.678.678-.83 1.418-.832 1.664z"/></svg>''']:
    lines = textwrap.wrap(d, 120 - 14, break_on_hyphens=False, break_long_words=False)
    rep('templates/base.html', '              ' + d, '\n'.join('              ' + l for l in lines))
rep('templates/mentoring/_order_form.html', '''      {{ person_picker('ack_staff_ids', 'С приказом ознакомлены (любые сотрудники)', staff|selectattr('id', 'in',
          ack_ids)|list, {'ack_staff_ids': errors.get('acknowledgements')} if errors.get('acknowledgements') else {},
          hint='Не выбрано никого — ответственные за пункты, наставники и наставляемые пар приказа, в этом порядке.')
          }}</div>''',
'''      {{ person_picker('ack_staff_ids', 'С приказом ознакомлены (любые сотрудники)',
          staff|selectattr('id', 'in', ack_ids)|list,
          {'ack_staff_ids': errors.get('acknowledgements')} if errors.get('acknowledgements') else {},
          hint='Не выбрано никого — ответственные за пункты, наставники и наставляемые пар приказа, '
               ~ 'в этом порядке.') }}</div>''')
rep('templates/roadmap/index.html', '''            <option value="{{ r.id }}" {% if data.source == r.id|string %}selected{% endif %}>Копия: {{ r.title[:80]
              }} ({{ r.first_year }}–{{ r.last_year }})</option>{% endfor %}''',
'''            <option value="{{ r.id }}" {% if data.source == r.id|string %}selected{% endif %}>
              {{- 'Копия: ' ~ r.title[:80] ~ ' (' ~ r.first_year ~ '–' ~ r.last_year ~ ')' }}</option>{% endfor %}''')
