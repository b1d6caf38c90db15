/*
 * Volume-delay functions of traffic assignment (planning/assign.h), per resource:
 *
 *   BPR (Bureau of Public Roads 1964):  f(x) = 1 + alpha x^beta,  x = v / capacity
 *   conical (Spiess 1990):              f(x) = 2 + sqrt(a^2 (1 - x)^2 + b^2) - a (1 - x) - b,
 *                                       b = (2a - 1) / (2a - 2), a = alpha > 1
 *
 * Both give f(0) = 1. The conical function grows like BPR near capacity but stays finite in
 * slope far beyond it, so early iterations of an assignment do not overflow.
 */
#include <math.h>

#include "planning/assign.h"

static double
conical_b(double a)
{
    return (2.0 * a - 1.0) / (2.0 * a - 2.0);
}

double
cr_vdf_factor(const struct cr_assign_resources *res, uint32_t r, double v)
{
    double x = v / res->capacity[r], a = res->alpha[r];
    if (res->vdf[r] == CR_VDF_CONICAL) {
        double b = conical_b(a), y = 1.0 - x;
        return 2.0 + sqrt(a * a * y * y + b * b) - a * y - b;
    }
    if (a == 0.0 || x <= 0.0)
        return 1.0;
    return 1.0 + a * pow(x, res->beta[r]);
}

double
cr_vdf_derivative(const struct cr_assign_resources *res, uint32_t r, double v)
{
    double c = res->capacity[r], x = v / c, a = res->alpha[r], beta = res->beta[r];
    if (res->vdf[r] == CR_VDF_CONICAL) {
        double b = conical_b(a), y = 1.0 - x;
        return (a - a * a * y / sqrt(a * a * y * y + b * b)) / c;
    }
    if (a == 0.0 || beta == 0.0)
        return 0.0;
    if (x <= 0.0)
        return beta == 1.0 ? a / c : 0.0;
    return a * beta * pow(x, beta - 1.0) / c;
}

double
cr_vdf_integral(const struct cr_assign_resources *res, uint32_t r, double v)
{
    double c = res->capacity[r], x = v / c, a = res->alpha[r];
    if (v <= 0.0)
        return 0.0;
    if (res->vdf[r] == CR_VDF_CONICAL) {
        /* integral of sqrt(a^2 y^2 + b^2) dy is (y s + (b^2 / a) asinh(a y / b)) / 2, y = 1 - x */
        double b = conical_b(a);
        double prim_at = 0.0, prim_0 = 0.0;
        for (int k = 0; k < 2; k++) {
            double y = k ? 1.0 : 1.0 - x;
            double s = sqrt(a * a * y * y + b * b);
            double p = 0.5 * (y * s + (b * b / a) * asinh(a * y / b)) - 0.5 * a * y * y;
            if (k)
                prim_0 = p;
            else
                prim_at = p;
        }
        /* d/dx of the y-terms is minus d/dy: integral over x from 0 to X = prim(1) - prim(1-X) */
        return c * ((2.0 - b) * x + (prim_0 - prim_at));
    }
    if (a == 0.0)
        return v;
    return v + a * c * pow(x, res->beta[r] + 1.0) / (res->beta[r] + 1.0);
}
