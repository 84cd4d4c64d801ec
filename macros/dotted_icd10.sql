{#-
    ICD-10-CM codes as written with their dot (INPUTS.md claims / claims_837: "a dot is
    inserted after the third character of a code longer than three", M5416 -> M54.16).
    dotted_icd10(code): one code; dotted_icd10_list(expr): a space-separated list (the CSV
    diagnosis_codes cell after normalise_code_list). A code that has its dot stays as sent.
-#}
{% macro dotted_icd10(code) -%}
    case
        when {{ code }} like '%.%' or length({{ code }}) <= 3 then {{ code }}
        else substring({{ code }}, 1, 3) || '.' || substring({{ code }}, 4)
    end
{%- endmacro %}

{% macro dotted_icd10_list(expr) -%}
    {{ regexp_replace_all(expr, '(^| )([A-Z0-9]{3})([A-Z0-9]+)', '\\1\\2.\\3') }}
{%- endmacro %}
