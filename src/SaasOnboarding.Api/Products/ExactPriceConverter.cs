using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;

namespace SaasOnboarding.Api.Products;

/// <summary>
/// Reads a price from the number as written (the raw JSON token), never through a conversion that could round it:
/// <c>19.9900000000000000000000000001</c> and <c>1e-30</c> are refused, where <see cref="decimal"/> parsing would
/// have made them 19.99 and 0. A number a decimal holds exactly reads as that value (<c>1.50</c>, <c>1.5e1</c>,
/// <c>100E-2</c>, and <c>10.005</c>, which the request's check then refuses); one it cannot hold fails binding with
/// a field error on <c>price</c> (<see cref="ApiErrors.FieldProblemKey"/>).
/// </summary>
public sealed class ExactPriceConverter : JsonConverter<decimal?>
{
    public override bool HandleNull => false;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Refused("The value must be a number.");
        }

        var text = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        return Parse(Encoding.ASCII.GetString(text), out var problem) ?? throw Refused(problem!);
    }

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } price)
        {
            writer.WriteNumberValue(price);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>
    /// The exact value of a JSON number, or null with what is wrong in <paramref name="problem"/> when a
    /// <see cref="decimal"/> cannot hold it exactly: more than 28 significant digits or decimal places (which is
    /// more than two decimal places), or a magnitude of 10^28 or more (far beyond the range). Range and decimal
    /// places of values it can hold are <see cref="ProductRequest.Check"/>'s to judge, with the other fields.
    /// </summary>
    internal static decimal? Parse(string number, out string? problem)
    {
        const int MaxDigits = 28;
        var tooFine = "At most two decimal places.";
        var tooLarge = $"Must be between 0 and {DataPlaneLimits.MaxPrice}.";
        var position = 0;
        var negative = number.StartsWith('-');
        if (negative)
        {
            position++;
        }

        var digits = new StringBuilder();
        long exponent = 0;
        while (position < number.Length && char.IsAsciiDigit(number[position]))
        {
            digits.Append(number[position++]);
        }

        if (position < number.Length && number[position] == '.')
        {
            position++;
            while (position < number.Length && char.IsAsciiDigit(number[position]))
            {
                digits.Append(number[position++]);
                exponent--;
            }
        }

        var significant = digits.ToString().TrimStart('0');
        if (position < number.Length && number[position] is 'e' or 'E')
        {
            position++;
            var exponentSign = 1;
            if (position < number.Length && number[position] is '+' or '-')
            {
                exponentSign = number[position++] == '-' ? -1 : 1;
            }

            var written = number[position..].TrimStart('0');
            if (written.Length > 9)
            {
                // Such an exponent moves any non-zero digit far outside a decimal, one way or the other.
                problem = significant.Length == 0 ? null : exponentSign > 0 ? tooLarge : tooFine;
                return problem is null ? 0m : null;
            }

            exponent += exponentSign * (written.Length == 0 ? 0 : long.Parse(written, CultureInfo.InvariantCulture));
        }

        // The value is significant × 10^exponent; trailing zeros move into the exponent.
        var trimmed = significant.TrimEnd('0');
        exponent += significant.Length - trimmed.Length;
        problem = null;
        if (trimmed.Length == 0)
        {
            return 0m;
        }

        if (exponent < 0 && (-exponent > MaxDigits || trimmed.Length > MaxDigits))
        {
            problem = tooFine;
            return null;
        }

        if (trimmed.Length + Math.Max(exponent, 0) > MaxDigits)
        {
            problem = tooLarge;
            return null;
        }

        var whole = decimal.Parse(exponent > 0 ? trimmed + new string('0', (int)exponent) : trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        var bits = decimal.GetBits(whole);
        return new decimal(bits[0], bits[1], bits[2], negative, (byte)Math.Max(-exponent, 0));
    }

    private static JsonException Refused(string problem)
    {
        var exception = new JsonException(problem);
        exception.Data[ApiErrors.FieldProblemKey] = problem;
        return exception;
    }
}
