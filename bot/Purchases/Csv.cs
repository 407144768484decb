using System.Text;

namespace ProcurementBot.Purchases;

/// <summary>An RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, a header row.</summary>
internal static class Csv
{
    public sealed record Row(int Line, IReadOnlyList<string> Fields);

    /// <summary>Parses all records; throws <see cref="FormatException"/> naming the line of an unterminated quote.</summary>
    public static List<Row> Parse(string text)
    {
        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var quoted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    AddRow(rows, rowLine, fields);
                    fields = [];
                    line++;
                    rowLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"Line {rowLine}: a quoted field is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            AddRow(rows, rowLine, fields);
        }

        return rows;
    }

    private static void AddRow(List<Row> rows, int line, List<string> fields)
    {
        // Blank lines carry no record.
        if (fields.Count == 1 && fields[0].Length == 0)
        {
            return;
        }

        rows.Add(new Row(line, fields));
    }

    /// <summary>
    /// One field as RFC 4180 writes it, safe to open in a spreadsheet: a value starting with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, tab or CR is prefixed with <c>'</c> so it is not run as a formula, and a value holding
    /// <c>,</c>, <c>"</c>, CR or LF is quoted with its quotes doubled.
    /// </summary>
    public static string Field(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }

    /// <summary>A record of <see cref="Field"/>s, ending with CRLF.</summary>
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";
}
