// The second translation unit of the ODR check (see odr_a.cpp).
#include "odr_render.hpp"

BATCHMOUNT_ODR_RENDER(render_in_b)
